using SmtpDane.Findings;

namespace SmtpDane.Reporting;

/// <summary>
/// Effective severity per node, failing closed: an address that is not <see cref="AddressResult.Verified"/>,
/// a host without addresses, a target without hosts or a run without targets counts as an error
/// even when no check recorded one.
/// </summary>
internal static class Verdicts
{
    public static Severity Of(AddressResult address) =>
        address.Verified || address.StsProtected ? address.Worst : Severity.Error;

    public static Severity Of(HostResult host) =>
        Max(host.Worst, host.Addresses.Count == 0 ? Severity.Error : host.Addresses.Max(Of));

    public static Severity Of(TargetResult target) =>
        Max(target.Worst, target.Hosts.Count == 0 ? (NoHostsByDesign(target) ? Severity.Warning : Severity.Error) : target.Hosts.Max(Of));

    /// <summary>
    /// A target whose DNS positively says it has no SMTP service: a null MX (RFC 7505) or an SRV
    /// target of "." (RFC 2782). Nothing to probe is then the right answer, not a gap: a warning,
    /// carried by that finding, rather than a fail-closed error.
    /// </summary>
    public static bool NoHostsByDesign(TargetResult target) =>
        target.Hosts.Count == 0 &&
        target.Findings.Any(f => f.Code is FindingCodes.MxNull or FindingCodes.SrvNoService && f.Severity >= Severity.Warning);

    public static Severity Of(RunResult run) =>
        Max(run.Worst, run.Targets.Count == 0 ? Severity.Error : run.Targets.Max(Of));

    /// <summary>"ok", "warning" or "error": the JSON status word.</summary>
    public static string StatusWord(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "ok",
    };

    public static string SeverityWord(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Success => "success",
        _ => "info",
    };

    private static Severity Max(Severity a, Severity b) => a > b ? a : b;
}
