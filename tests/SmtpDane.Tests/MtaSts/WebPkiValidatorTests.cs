using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using SmtpDane.Certificates;
using SmtpDane.Model;
using SmtpDane.Tests.TestPki;

namespace SmtpDane.Tests.MtaSts;

/// <summary>The X509Chain-based Web PKI check: chain to the given anchors, time from TimeProvider, names per RFC 6125.</summary>
public class WebPkiValidatorTests
{
    private static readonly TestCertificate Root = Pki.CreateRoot();
    private static readonly TestCertificate Inter = Pki.CreateIntermediate(Root);

    private static WebPkiValidator Validator(DateTimeOffset now) =>
        new(WebPkiTrust.Of([X509CertificateLoader.LoadCertificate(Root.Der)]), new FakeTimeProvider(now));

    private static TestCertificate Leaf(params string[] names) =>
        Pki.Create(new TestCertificateSpec { CommonName = names[0], DnsNames = names, ExtendedKeyUsages = [Org.BouncyCastle.Asn1.X509.KeyPurposeID.id_kp_serverAuth] }, Inter);

    [Fact]
    public void Validate_ChainToAnchorAndNameMatches_Valid()
    {
        var result = Validator(Pki.DefaultNow).Validate([Leaf("mx.example.com").Der, Inter.Der], "mx.example.com");

        Assert.True(result.Valid, result.Problem);
    }

    [Fact]
    public void Validate_MissingIntermediate_NotTrusted()
    {
        var result = Validator(Pki.DefaultNow).Validate([Leaf("mx.example.com").Der], "mx.example.com");

        Assert.False(result.Valid);
        Assert.Contains("trusted root", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AfterNotAfter_Expired()
    {
        var result = Validator(Pki.DefaultNow.AddDays(400)).Validate([Leaf("mx.example.com").Der, Inter.Der], "mx.example.com");

        Assert.False(result.Valid);
        Assert.Contains("expired", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WrongName_NamesTheCertificateNames()
    {
        var result = Validator(Pki.DefaultNow).Validate([Leaf("www.example.org").Der, Inter.Der], "mx.example.com");

        Assert.False(result.Valid);
        Assert.Contains("www.example.org", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SelfSigned_NotTrusted()
    {
        var self = Pki.Create(new TestCertificateSpec { CommonName = "mx.example.com", DnsNames = ["mx.example.com"] }, null);

        Assert.False(Validator(Pki.DefaultNow).Validate([self.Der], "mx.example.com").Valid);
    }
}
