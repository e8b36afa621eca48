using System.Net;
using SmtpDane.Certificates;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.MtaSts;
using SmtpDane.Probing;
using SmtpDane.Reporting;

namespace SmtpDane.Tests.MtaSts;

/// <summary>The verdict rules of README "MTA-STS beside DANE", on hand-built result trees.</summary>
public class StsVerdictTests
{
    private static readonly Target Domain = new("example.org", TargetMode.Mx, "example.org", null);

    private static MtaStsResult Sts(StsMode mode, params string[] mx) =>
        new("example.org", TxtOutcome.Valid, "1", null, new StsPolicy(mode, 604800, mx), TxtOutcome.None, null, [Finding.Success(FindingCodes.StsPolicy, "policy")]);

    private static TargetResult Tree(bool dane, bool webPkiValid, string host = "mx.example.org")
    {
        var address = new AddressResult(
            IPAddress.Parse("192.0.2.1"),
            25,
            dane ? [Finding.Success(FindingCodes.DaneVerified, "ok")] : [Finding.Error(FindingCodes.DaneNotVerified, "not in effect")],
            null,
            TimeSpan.Zero)
        { WebPki = webPkiValid ? WebPkiResult.Ok : WebPkiResult.Invalid("self-signed") };
        var hostFindings = dane ? new[] { Finding.Success(FindingCodes.TlsaFound, "found") } : [Finding.Error(FindingCodes.TlsaNone, "none")];
        return new TargetResult(Domain, [], [new HostResult(host, 25, 10, false, hostFindings, null, [], [address])]);
    }

    private static Severity Verdict(TargetResult t) => ExitCodes.EffectiveWorst(new RunResult([t], [], DateTimeOffset.UnixEpoch, TimeSpan.Zero));

    [Fact]
    public void DaneVerified_EnforceCoveredValid_Ok() =>
        Assert.True(Verdict(StsVerdict.Apply(Tree(dane: true, webPkiValid: true), Sts(StsMode.Enforce, "mx.example.org"))) < Severity.Warning);

    [Fact]
    public void DaneVerified_NoMtaSts_StaysOk()
    {
        var none = new MtaStsResult("example.org", TxtOutcome.None, null, null, null, TxtOutcome.None, null, [Finding.Info(FindingCodes.StsNone, "none")]);
        Assert.True(Verdict(StsVerdict.Apply(Tree(dane: true, webPkiValid: false), none)) < Severity.Warning);
    }

    [Fact]
    public void ModeNone_JudgesNothing() =>
        Assert.True(Verdict(StsVerdict.Apply(Tree(dane: true, webPkiValid: false, host: "other.example"), Sts(StsMode.None))) < Severity.Warning);

    [Fact]
    public void Enforce_MxNotCovered_Error()
    {
        var t = StsVerdict.Apply(Tree(dane: true, webPkiValid: true), Sts(StsMode.Enforce, "*.example.net"));
        Assert.Equal(Severity.Error, Verdict(t));
        Assert.Contains(t.Hosts[0].Findings, f => f.Code == FindingCodes.StsMxNotCovered && f.Severity == Severity.Error);
        Assert.False(t.MtaSts!.MxCovered);
    }

    [Fact]
    public void Testing_CertificateInvalid_Warning()
    {
        var t = StsVerdict.Apply(Tree(dane: true, webPkiValid: false), Sts(StsMode.Testing, "mx.example.org"));
        Assert.Equal(Severity.Warning, Verdict(t));
        Assert.Contains(t.Hosts[0].Addresses[0].Findings, f => f.Code == FindingCodes.StsMxCertInvalid && f.Severity == Severity.Warning);
    }

    [Fact]
    public void NoDane_EnforceCoveredValid_WarningProtects()
    {
        Assert.Equal(Severity.Error, Verdict(Tree(dane: false, webPkiValid: true)));
        var t = StsVerdict.Apply(Tree(dane: false, webPkiValid: true), Sts(StsMode.Enforce, "*.example.org"));
        Assert.Equal(Severity.Warning, Verdict(t));
        Assert.Contains(t.Findings, f => f.Code == FindingCodes.StsProtects);
        Assert.False(t.Hosts[0].Addresses[0].Verified);
        Assert.True(t.MtaSts!.ProtectsInsteadOfDane);
        Assert.Equal(0, RunSummary.Of(new RunResult([t], [], DateTimeOffset.UnixEpoch, TimeSpan.Zero)).Errors);
    }

    [Fact]
    public void NoDane_EnforceButCertificateInvalid_StaysError() =>
        Assert.Equal(Severity.Error, Verdict(StsVerdict.Apply(Tree(dane: false, webPkiValid: false), Sts(StsMode.Enforce, "mx.example.org"))));

    [Fact]
    public void NoDane_TestingPolicy_StaysError() =>
        Assert.Equal(Severity.Error, Verdict(StsVerdict.Apply(Tree(dane: false, webPkiValid: true), Sts(StsMode.Testing, "mx.example.org"))));

    [Fact]
    public void DaneFailing_IsNotRescuedByMtaSts()
    {
        var t = Tree(dane: true, webPkiValid: true);
        var failing = t with { Hosts = [t.Hosts[0] with { Addresses = [t.Hosts[0].Addresses[0] with { Findings = [Finding.Error(FindingCodes.DaneNoMatch, "no match")] }] }] };
        Assert.Equal(Severity.Error, Verdict(StsVerdict.Apply(failing, Sts(StsMode.Enforce, "mx.example.org"))));
    }

    [Fact]
    public void Codes_StsAndTlsRpt_ArePinned()
    {
        string[] pinned =
        [
            "sts.none", "sts.txt-found", "sts.txt-invalid", "sts.txt-lookup-failed", "sts.policy", "sts.policy-fetch-failed",
            "sts.policy-redirect", "sts.policy-too-large", "sts.policy-cert-invalid", "sts.policy-invalid", "sts.mode-none",
            "sts.max-age-short", "sts.mx-covered", "sts.mx-not-covered", "sts.mx-cert-valid", "sts.mx-cert-invalid", "sts.protects",
            "tlsrpt.found", "tlsrpt.none", "tlsrpt.invalid", "tlsrpt.lookup-failed",
        ];
        Assert.Equal(pinned, FindingCodes.All.Where(c => c.StartsWith("sts.", StringComparison.Ordinal) || c.StartsWith("tlsrpt.", StringComparison.Ordinal)));
    }
}
