using System.Security.Cryptography;
using SmtpDane.Certificates;
using SmtpDane.Dane;
using SmtpDane.Model;
using SmtpDane.Tests.TestPki;
using X509Certificate2 = System.Security.Cryptography.X509Certificates.X509Certificate2;
using X509CertificateLoader = System.Security.Cryptography.X509Certificates.X509CertificateLoader;

namespace SmtpDane.Tests.Dane;

public class TlsaMatcherTests
{
    private static readonly TestCertificate Root = Pki.CreateRoot();
    private static readonly TestCertificate Leaf = Pki.CreateLeaf(Root, "mx.example.org", "mx.example.org");

    public static TheoryData<byte, byte, byte> AllCombinations()
    {
        var data = new TheoryData<byte, byte, byte>();
        foreach (var usage in new byte[] { 0, 1, 2, 3 })
        {
            foreach (var selector in new byte[] { 0, 1 })
            {
                foreach (var matching in new byte[] { 0, 1, 2 })
                {
                    data.Add(usage, selector, matching);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllCombinations))]
    public void Matches_EveryUsageSelectorMatchingType_MatchesIndependentlyComputedData(byte usage, byte selector, byte matching)
    {
        var expected = Independent(Leaf.Der, selector, matching);
        var record = new TlsaRecord(usage, selector, matching, expected);

        Assert.Equal(expected, TlsaMatcher.AssociationData(Leaf.Der, selector, matching));
        Assert.True(TlsaMatcher.Matches(record, Leaf.Der));
        Assert.False(TlsaMatcher.Matches(record, Root.Der));

        var flipped = (byte[])expected.Clone();
        flipped[^1] ^= 0x01;
        Assert.False(TlsaMatcher.Matches(record with { Data = flipped }, Leaf.Der));
    }

    [Theory]
    [InlineData(TestKeyType.EcP256)]
    [InlineData(TestKeyType.Rsa2048)]
    public void AssociationData_Spki_EqualsDotNetExport(TestKeyType keyType)
    {
        var cert = Pki.Create(new TestCertificateSpec { CommonName = "x", KeyType = keyType }, Root);

        var data = TlsaMatcher.AssociationData(cert.Der, 1, 1);

        Assert.Equal(Independent(cert.Der, 1, 1), data);
        Assert.Equal(32, data.Length);
        Assert.Equal(64, TlsaMatcher.AssociationData(cert.Der, 1, 2).Length);
    }

    [Fact]
    public void Matches_UnknownSelectorOrMatchingType_NeverMatches()
    {
        var digest = TlsaMatcher.AssociationData(Leaf.Der, 1, 1);

        Assert.False(TlsaMatcher.Matches(new TlsaRecord(3, 2, 1, digest), Leaf.Der));
        Assert.False(TlsaMatcher.Matches(new TlsaRecord(3, 1, 3, digest), Leaf.Der));
    }

    [Fact]
    public void AssociationData_UnknownValues_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TlsaMatcher.AssociationData(Leaf.Der, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TlsaMatcher.AssociationData(Leaf.Der, 0, 9));
    }

    [Fact]
    public void Matches_MalformedCertificate_ThrowsParseException()
    {
        Assert.Throws<CertificateParseException>(() => TlsaMatcher.Matches(new TlsaRecord(3, 1, 1, new byte[32]), [0x30, 0x03, 0x02, 0x01, 0x00]));
    }

    [Fact]
    public void ToString_PostfixForm_ShowsRecordSoDigestsCanBeCompared()
    {
        var record = new TlsaRecord(3, 1, 1, TlsaMatcher.AssociationData(Leaf.Der, 1, 1));

        Assert.Equal($"3 1 1 {Convert.ToHexStringLower(record.Data)}", record.ToString());
    }

    /// <summary>Computed with .NET's own X.509 stack, not BouncyCastle.</summary>
    private static byte[] Independent(byte[] der, byte selector, byte matching)
    {
        using X509Certificate2 cert = X509CertificateLoader.LoadCertificate(der);
        var selected = selector == 0 ? cert.RawData : cert.PublicKey.ExportSubjectPublicKeyInfo();
        return matching switch
        {
            0 => selected,
            1 => SHA256.HashData(selected),
            _ => SHA512.HashData(selected),
        };
    }
}
