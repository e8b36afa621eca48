using SmtpDane.Dane;
using SmtpDane.Model;
using SmtpDane.Tests.TestPki;

namespace SmtpDane.Tests.Dane;

public sealed class KnownCaStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smtpdane-ca-").FullName;
    private readonly TestCertificate _alpha = Pki.CreateRoot("Alpha Root CA");
    private readonly TestCertificate _beta = Pki.CreateRoot("Beta Root CA", TestKeyType.Rsa2048);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Describe_TaRecordOfKnownCa_ReturnsCommonName()
    {
        var store = FromFile(Write("bundle.pem", Pem(_alpha) + "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n" + Pem(_beta)));

        Assert.Equal(2, store.Count);
        Assert.Equal("Alpha Root CA", store.Describe(Record(2, 1, 1, _alpha)));
        Assert.Equal("Beta Root CA", store.Describe(Record(2, 0, 1, _beta)));
        Assert.Equal("Beta Root CA", store.Describe(Record(2, 1, 2, _beta)));
        Assert.Equal("Alpha Root CA", store.Describe(Record(2, 0, 0, _alpha)));
    }

    [Fact]
    public void Describe_OtherUsagesOrUnknownCa_Null()
    {
        var store = FromFile(Write("bundle.pem", Pem(_alpha)));
        var stranger = Pki.CreateRoot("Stranger");

        Assert.Null(store.Describe(Record(3, 1, 1, _alpha)));
        Assert.Null(store.Describe(Record(2, 1, 1, stranger)));
        Assert.Null(store.Describe(new TlsaRecord(2, 1, 1, [1, 2, 3])));
    }

    [Fact]
    public void Load_SslCertDir_ReadsEveryFile()
    {
        Write("a.pem", Pem(_alpha));
        Write("b.crt", Pem(_beta));
        var store = new KnownCaStore(name => name == "SSL_CERT_DIR" ? _dir : null, []);

        Assert.Equal(2, store.Count);
        Assert.Equal("Beta Root CA", store.Describe(Record(2, 1, 1, _beta)));
    }

    [Fact]
    public void Load_DefaultFiles_FirstExistingUsed()
    {
        var bundle = Write("bundle.pem", Pem(_alpha));
        var store = new KnownCaStore(_ => null, [Path.Combine(_dir, "missing.pem"), bundle]);

        Assert.Equal("Alpha Root CA", store.Describe(Record(2, 1, 1, _alpha)));
    }

    [Fact]
    public void Load_NothingReadable_Empty()
    {
        var store = new KnownCaStore(name => name == "SSL_CERT_FILE" ? Path.Combine(_dir, "missing.pem") : null, []);

        Assert.Equal(0, store.Count);
        Assert.Null(store.Describe(Record(2, 1, 1, _alpha)));
    }

    [Fact]
    public void Load_DuplicateCertificates_CountedOnce()
    {
        var store = FromFile(Write("bundle.pem", Pem(_alpha) + Pem(_alpha)));

        Assert.Equal(1, store.Count);
    }

    private static KnownCaStore FromFile(string path) =>
        new(name => name == "SSL_CERT_FILE" ? path : null, []);

    private static TlsaRecord Record(byte usage, byte selector, byte matching, TestCertificate cert) =>
        new(usage, selector, matching, TlsaMatcher.AssociationData(cert.Der, selector, matching));

    private static string Pem(TestCertificate cert) =>
        "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(cert.Der, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n";

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
