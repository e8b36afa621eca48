using SmtpDane.Dane;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.Tests.TestPki;

namespace SmtpDane.Tests.Dane;

public class DaneVerifierTests
{
    internal const string Host = "mx.example.org";
    internal static readonly DateTimeOffset Now = Pki.DefaultNow;

    private readonly TestCertificate _root = Pki.CreateRoot("Test Root");
    private readonly TestCertificate _intermediate;
    private readonly TestCertificate _leaf;

    public DaneVerifierTests()
    {
        _intermediate = Pki.CreateIntermediate(_root, "Test Intermediate");
        _leaf = Pki.CreateLeaf(_intermediate, Host, Host);
    }

    [Fact]
    public void Verify_DaneEeMatch_VerifiesWithoutCheckingNames()
    {
        var other = Pki.CreateLeaf(_intermediate, "other", "other.example.net");
        var record = Record(3, 1, 1, other);

        var result = Verify([other.Der], [record]);

        Assert.True(result.Verified);
        Assert.Equal([FindingCodes.DaneEeMatch, FindingCodes.DaneVerified], Codes(result));
        Assert.Contains(record.ToString(), result.Findings[0].Message, StringComparison.Ordinal);
        Assert.Equal([other.Der], result.VerifiedPath);
        Assert.Equal([record], result.MatchedRecords);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    public void Verify_DaneTaAtIntermediate_EverySelectorAndMatchingType_Verifies(byte selector, byte matching)
    {
        var record = Record(2, selector, matching, _intermediate);

        var result = Verify(Pki.Chain(_leaf, _intermediate, _root), [record]);

        Assert.True(result.Verified);
        Assert.Equal([FindingCodes.DaneTaMatch, FindingCodes.DaneNameMatch, FindingCodes.DaneVerified], Codes(result));
        Assert.StartsWith("DANE-TA(2) match at chain position 1", result.Findings[0].Message, StringComparison.Ordinal);
        Assert.Equal([_leaf.Der, _intermediate.Der], result.VerifiedPath);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    public void Verify_DaneEe_EverySelectorAndMatchingType_Verifies(byte selector, byte matching)
    {
        var result = Verify(Pki.Chain(_leaf, _intermediate), [Record(3, selector, matching, _leaf)]);

        Assert.True(result.Verified);
        Assert.Contains(result.Findings, f => f.Code == FindingCodes.DaneEeMatch);
    }

    [Fact]
    public void Verify_DaneTaAtRoot_PathRunsToRoot()
    {
        var result = Verify(Pki.Chain(_leaf, _intermediate, _root), [Record(2, 1, 1, _root)]);

        Assert.True(result.Verified);
        Assert.Contains("chain position 2", result.Findings[0].Message, StringComparison.Ordinal);
        Assert.Equal([_leaf.Der, _intermediate.Der, _root.Der], result.VerifiedPath);
    }

    [Fact]
    public void Verify_ChainOutOfOrder_StillChains()
    {
        var result = Verify(Pki.Chain(_leaf, _root, _intermediate), [Record(2, 0, 1, _root)]);

        Assert.True(result.Verified);
        Assert.Equal([_leaf.Der, _intermediate.Der, _root.Der], result.VerifiedPath);
    }

    [Fact]
    public void Verify_RsaChain_Verifies()
    {
        var rsaRoot = Pki.CreateRoot("RSA Root", TestKeyType.Rsa2048);
        var rsaLeaf = Pki.Create(new TestCertificateSpec { CommonName = Host, DnsNames = [Host] }, rsaRoot);

        var result = Verify(Pki.Chain(rsaLeaf, rsaRoot), [Record(2, 1, 1, rsaRoot)]);

        Assert.True(result.Verified);
    }

    [Fact]
    public void Verify_TaMatchesButIntermediateMissing_ReportsNotChained()
    {
        var record = Record(2, 1, 1, _root);

        var result = Verify(Pki.Chain(_leaf, _root), [record]);

        Assert.False(result.Verified);
        Assert.Equal([FindingCodes.DaneTaNotChained, FindingCodes.DanePresented, FindingCodes.DaneNotVerified], Codes(result));
        var message = result.Findings[0].Message;
        Assert.Contains("does not chain", message, StringComparison.Ordinal);
        Assert.Contains("chain position 0 is not issued by position 1", message, StringComparison.Ordinal);
        Assert.Empty(result.VerifiedPath);
    }

    [Fact]
    public void Verify_TaMatchesNonCa_ReportsNotChained()
    {
        var notCa = Pki.Create(new TestCertificateSpec { CommonName = "Not A CA" }, _root);
        var child = Pki.CreateLeaf(notCa, Host, Host);

        var result = Verify(Pki.Chain(child, notCa), [Record(2, 1, 1, notCa)]);

        Assert.False(result.Verified);
        Assert.Contains(result.Findings, f => f.Code == FindingCodes.DaneTaNotChained && f.Message.Contains("not a CA", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_TaForgedSignature_ReportsNotChained()
    {
        // Same subject name as the intermediate, different key: names chain, the signature does not.
        var impostor = Pki.CreateIntermediate(_root, "Test Intermediate");

        var result = Verify(Pki.Chain(_leaf, impostor), [Record(2, 1, 1, impostor)]);

        Assert.False(result.Verified);
        Assert.Contains(result.Findings, f => f.Code == FindingCodes.DaneTaNotChained && f.Message.Contains("signature does not verify", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_TaNameMismatch_ListsNamesCheckedAndFound()
    {
        var result = Verify(Pki.Chain(_leaf, _intermediate), [Record(2, 1, 1, _intermediate)], names: ["smtp.example.net", "example.net"]);

        Assert.False(result.Verified);
        Assert.Equal(
            [FindingCodes.DaneTaMatch, FindingCodes.DaneNameMismatch, FindingCodes.DanePresented, FindingCodes.DaneNotVerified],
            Codes(result));
        var message = result.Findings[1].Message;
        Assert.Contains("\"smtp.example.net\", \"example.net\"", message, StringComparison.Ordinal);
        Assert.Contains("\"mx.example.org\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TaWildcardSan_MatchesName()
    {
        var wild = Pki.CreateLeaf(_intermediate, "wild", "*.example.org");

        var result = Verify(Pki.Chain(wild, _intermediate), [Record(2, 1, 1, _intermediate)]);

        Assert.True(result.Verified);
    }

    [Fact]
    public void Verify_TaLeafWithoutSans_FallsBackToCommonName()
    {
        var cnOnly = Pki.Create(new TestCertificateSpec { CommonName = Host }, _intermediate);

        var result = Verify(Pki.Chain(cnOnly, _intermediate), [Record(2, 1, 1, _intermediate)]);

        Assert.True(result.Verified);
    }

    [Fact]
    public void Verify_NoReferenceNames_UsesHostName()
    {
        var result = Verify(Pki.Chain(_leaf, _intermediate), [Record(2, 1, 1, _intermediate)], names: []);

        Assert.True(result.Verified);
    }

    [Fact]
    public void Verify_TaRecordMatchingLeaf_IsNotAnAnchor()
    {
        var selfSigned = Pki.Create(new TestCertificateSpec { CommonName = Host, DnsNames = [Host], IsCa = true }, issuer: null);

        var result = Verify([selfSigned.Der], [Record(2, 1, 1, selfSigned)]);

        Assert.False(result.Verified);
        Assert.Equal(
            [FindingCodes.DaneTaMatchesLeaf, FindingCodes.DaneNoMatch, FindingCodes.DanePresented, FindingCodes.DaneNotVerified],
            Codes(result));
        Assert.Contains("publish it as 3 1 1", result.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_DaneTa210KeyInDnsOnly_Verifies()
    {
        var record = new TlsaRecord(2, 1, 0, TlsaMatcher.AssociationData(_root.Der, 1, 0));

        var result = Verify(Pki.Chain(_leaf, _intermediate), [record]);

        Assert.True(result.Verified);
        Assert.Contains("chain position 1", result.Findings[0].Message, StringComparison.Ordinal);
        Assert.Equal([_leaf.Der, _intermediate.Der], result.VerifiedPath);
    }

    [Fact]
    public void Verify_DaneTa200CertificateInDnsOnly_PathEndsAtDnsCertificate()
    {
        var result = Verify(Pki.Chain(_leaf, _intermediate), [new TlsaRecord(2, 0, 0, _root.Der)]);

        Assert.True(result.Verified);
        Assert.Equal([_leaf.Der, _intermediate.Der, _root.Der], result.VerifiedPath);
    }

    [Fact]
    public void Verify_DnsKeyDidNotSignAnything_NoMatch()
    {
        var stranger = Pki.CreateRoot("Stranger");

        var result = Verify(Pki.Chain(_leaf, _intermediate), [new TlsaRecord(2, 0, 0, stranger.Der)]);

        Assert.False(result.Verified);
        Assert.Contains(result.Findings, f => f.Code == FindingCodes.DaneNoMatch);
    }

    [Fact]
    public void Verify_NothingMatches_SuggestsLeafDigestAndListsPresented()
    {
        var stranger = Pki.CreateRoot("Stranger");

        var result = Verify(Pki.Chain(_leaf, _intermediate), [Record(3, 1, 1, stranger), Record(2, 1, 1, stranger)]);

        Assert.False(result.Verified);
        Assert.Equal([FindingCodes.DaneNoMatch, FindingCodes.DanePresented, FindingCodes.DaneNotVerified], Codes(result));
        var leafDigest = Convert.ToHexStringLower(TlsaMatcher.AssociationData(_leaf.Der, 1, 1));
        Assert.Contains($"publish 3 1 1 {leafDigest}", result.Findings[0].Message, StringComparison.Ordinal);
        var presented = result.Findings[1];
        Assert.Equal(Severity.Info, presented.Severity);
        Assert.Equal(leafDigest, presented.Data!["0.3 1 1"]);
        Assert.Equal(Convert.ToHexStringLower(TlsaMatcher.AssociationData(_intermediate.Der, 1, 1)), presented.Data["1.2 1 1"]);
        Assert.Equal(Convert.ToHexStringLower(TlsaMatcher.AssociationData(_intermediate.Der, 0, 1)), presented.Data["1.2 0 1"]);
        Assert.Contains("not what you should trust blindly", presented.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SeveralRecordsMatch_ReportsEveryOne()
    {
        var ee = Record(3, 1, 1, _leaf);
        var ta = Record(2, 0, 1, _intermediate);
        var ta2 = Record(2, 1, 2, _root);

        var result = Verify(Pki.Chain(_leaf, _intermediate, _root), [ee, ta, ta2]);

        Assert.True(result.Verified);
        Assert.Equal(
            [FindingCodes.DaneEeMatch, FindingCodes.DaneTaMatch, FindingCodes.DaneTaMatch, FindingCodes.DaneNameMatch, FindingCodes.DaneVerified],
            Codes(result));
        Assert.Equal([ee, ta, ta2], result.MatchedRecords);
        Assert.Equal([_leaf.Der], result.VerifiedPath);
    }

    [Fact]
    public void Verify_EeMatchesButTaNotChained_TaFailureIsOnlyAWarning()
    {
        var result = Verify(Pki.Chain(_leaf, _root), [Record(3, 1, 1, _leaf), Record(2, 1, 1, _root)]);

        Assert.True(result.Verified);
        var notChained = Assert.Single(result.Findings, f => f.Code == FindingCodes.DaneTaNotChained);
        Assert.Equal(Severity.Warning, notChained.Severity);
        Assert.DoesNotContain(result.Findings, f => f.Severity == Severity.Error);
    }

    [Fact]
    public void Verify_UnusableRecordsInList_AreIgnored()
    {
        var result = Verify(Pki.Chain(_leaf), [Record(1, 1, 1, _leaf), new TlsaRecord(3, 1, 1, [1, 2, 3])]);

        Assert.False(result.Verified);
        Assert.Contains(result.Findings, f => f.Code == FindingCodes.DaneNoMatch);
    }

    internal static DaneVerification Verify(IReadOnlyList<byte[]> chain, IReadOnlyList<TlsaRecord> records, IReadOnlyList<string>? names = null, TimeSpan? warning = null) =>
        DaneVerifier.Verify(new DaneVerificationRequest(Host, 25, chain, records, names ?? [Host], Now, warning ?? TimeSpan.FromDays(7)));

    internal static TlsaRecord Record(byte usage, byte selector, byte matching, TestCertificate cert) =>
        new(usage, selector, matching, TlsaMatcher.AssociationData(cert.Der, selector, matching));

    internal static List<string> Codes(DaneVerification result) => [.. result.Findings.Select(f => f.Code)];
}
