using SmtpDane.Findings;
using SmtpDane.Tests.TestPki;
using static SmtpDane.Tests.Dane.DaneVerifierTests;

namespace SmtpDane.Tests.Dane;

/// <summary>Certificates DaneVerifier cannot use as they are: empty or malformed chains, expired, expiring and not-yet-valid certificates.</summary>
public class DaneVerifierCertificateTests
{
    private readonly TestCertificate _root = Pki.CreateRoot("Test Root");
    private readonly TestCertificate _intermediate;
    private readonly TestCertificate _leaf;

    public DaneVerifierCertificateTests()
    {
        _intermediate = Pki.CreateIntermediate(_root, "Test Intermediate");
        _leaf = Pki.CreateLeaf(_intermediate, Host, Host);
    }

    [Fact]
    public void Verify_EmptyChain_Error()
    {
        var result = Verify([], [Record(3, 1, 1, _leaf)]);

        Assert.False(result.Verified);
        Assert.Equal([FindingCodes.TlsNoCertificates, FindingCodes.DaneNotVerified], Codes(result));
    }

    [Fact]
    public void Verify_MalformedIntermediate_NamesPositionAndStillMatchesEe()
    {
        var result = Verify([_leaf.Der, [0x30, 0x82, 0x01]], [Record(3, 1, 1, _leaf)]);

        Assert.True(result.Verified);
        var malformed = Assert.Single(result.Findings, f => f.Code == FindingCodes.CertMalformed);
        Assert.Contains("chain position 1", malformed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MalformedLeaf_NotVerified()
    {
        var result = Verify([[1, 2, 3]], [Record(3, 1, 1, _leaf)]);

        Assert.False(result.Verified);
        Assert.Equal([FindingCodes.CertMalformed, FindingCodes.DaneNotVerified], Codes(result));
    }

    [Fact]
    public void Verify_EeExpiredLeaf_ErrorMentionsRfc7672()
    {
        var expired = Pki.Create(new TestCertificateSpec { CommonName = Host, NotBefore = Now.AddDays(-100), NotAfter = Now.AddDays(-3) }, _intermediate);

        var result = Verify([expired.Der], [Record(3, 1, 1, expired)], warning: TimeSpan.FromDays(30));

        Assert.True(result.Verified);
        var finding = Assert.Single(result.Findings, f => f.Code == FindingCodes.CertExpired);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("3 days ago", finding.Message, StringComparison.Ordinal);
        Assert.Contains("RFC 7672 §3.1.1", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TaExpiringIntermediate_WarnsWithDaysLeft()
    {
        var shortInt = Pki.Create(new TestCertificateSpec { CommonName = "Short CA", IsCa = true, NotAfter = Now.AddDays(10).AddHours(1) }, _root);
        var child = Pki.CreateLeaf(shortInt, Host, Host);

        var result = Verify(Pki.Chain(child, shortInt), [Record(2, 1, 1, shortInt)], warning: TimeSpan.FromDays(30));

        Assert.True(result.Verified);
        var finding = Assert.Single(result.Findings, f => f.Code == FindingCodes.CertExpiring);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("expires in 10 days", finding.Message, StringComparison.Ordinal);
        Assert.Contains("chain position 1", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("RFC 7672", finding.Message, StringComparison.Ordinal);
        Assert.Equal("10", finding.Data!["daysLeft"]);
    }

    [Fact]
    public void Verify_NotYetValid_Error()
    {
        var future = Pki.Create(new TestCertificateSpec { CommonName = Host, DnsNames = [Host], NotBefore = Now.AddDays(2) }, _intermediate);

        var result = Verify(Pki.Chain(future, _intermediate), [Record(2, 1, 1, _intermediate)], warning: TimeSpan.FromDays(1));

        var finding = Assert.Single(result.Findings, f => f.Code == FindingCodes.CertNotYetValid);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("not valid yet", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ZeroExpirationWarning_DisablesOnlyTheWarning()
    {
        var expired = Pki.Create(new TestCertificateSpec { CommonName = Host, NotBefore = Now.AddDays(-100), NotAfter = Now.AddDays(-3) }, _intermediate);

        var result = Verify([expired.Der], [Record(3, 1, 1, expired)], warning: TimeSpan.Zero);

        Assert.Contains(result.Findings, f => f.Code == FindingCodes.CertExpired);
    }
}
