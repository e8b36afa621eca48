using SmtpDane.Findings;

namespace SmtpDane.Reporting;

/// <summary>
/// The process exit code, decided in this one place. Default mode follows the Go smtpdane: 0 when
/// every probe verified without warnings, 1 for any warning or error, 2 for bad flags (as Go's flag
/// package). Nagios mode follows the plugin guidelines: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
/// (also for bad flags). Fails closed: see <see cref="EffectiveWorst"/>.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Problems = 1;
    public const int BadFlags = 2;

    public const int NagiosOk = 0;
    public const int NagiosWarning = 1;
    public const int NagiosCritical = 2;
    public const int NagiosUnknown = 3;

    public static int For(RunResult result, bool nagios)
    {
        var worst = EffectiveWorst(result);
        if (!nagios)
        {
            return worst >= Severity.Warning ? Problems : Ok;
        }

        if (IsUnknown(result))
        {
            return NagiosUnknown;
        }

        return worst switch
        {
            Severity.Error => NagiosCritical,
            Severity.Warning => NagiosWarning,
            _ => NagiosOk,
        };
    }

    /// <summary>Exit code for unusable arguments: 2, or Nagios UNKNOWN (3).</summary>
    public static int ForBadFlags(bool nagios) => nagios ? NagiosUnknown : BadFlags;

    /// <summary>
    /// The worst severity in the tree, raised to <see cref="Severity.Error"/> when any address probe
    /// is not verified, any host has no address, any target has no host or there is no target: a
    /// forgotten finding can never turn a failure into success.
    /// </summary>
    public static Severity EffectiveWorst(RunResult result) => Verdicts.Of(result);

    /// <summary>Nagios UNKNOWN: the check itself broke, or checked nothing.</summary>
    internal static bool IsUnknown(RunResult result) =>
        result.Targets.Count == 0 || result.Findings.Any(f => f.Code == FindingCodes.RunInternalError);
}
