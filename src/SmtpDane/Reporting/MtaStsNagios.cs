using System.Globalization;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.MtaSts;

namespace SmtpDane.Reporting;

/// <summary>
/// The MTA-STS part of the Nagios line, with -mta-sts: "; mta-sts example.org: enforce, policy
/// valid, mx covered" per target, and perfdata sts_policy_valid (targets with a valid policy),
/// sts_mx_covered (targets whose MX hosts are all covered), sts_max_age (the shortest max_age).
/// Empty when no target was checked for MTA-STS.
/// </summary>
internal static class MtaStsNagios
{
    public static string Sentence(RunResult result)
    {
        var parts = result.Targets.Where(t => t.MtaSts is not null).Select(t => Describe(t.MtaSts!)).ToList();
        return parts.Count == 0 ? "" : "; " + HostileText.ForNagios(string.Join("; ", parts), 300);
    }

    public static string Perfdata(RunResult result)
    {
        var all = result.Targets.Where(t => t.MtaSts is not null).Select(t => t.MtaSts!).ToList();
        if (all.Count == 0)
        {
            return "";
        }

        var n = all.Count.ToString(CultureInfo.InvariantCulture);
        var text = $" sts_policy_valid={all.Count(s => s.PolicyValid)};;;0;{n} sts_mx_covered={all.Count(s => s.MxCovered == true)};;;0;{n}";
        var ages = all.Where(s => s.Policy is not null).Select(s => s.Policy!.MaxAgeSeconds).ToList();
        return ages.Count == 0 ? text : text + $" sts_max_age={ages.Min().ToString(CultureInfo.InvariantCulture)}s;;;0";
    }

    private static string Describe(MtaStsResult sts)
    {
        var state = sts.Txt switch
        {
            TxtOutcome.None => "none published",
            TxtOutcome.Invalid => "record invalid",
            _ when sts.Policy is null => "policy unusable",
            _ => $"{StsPolicy.ModeWord(sts.Policy!.Mode)}, policy valid" +
                (sts.MxCovered is { } covered ? covered ? ", mx covered" : ", mx not covered" : "") +
                (sts.MxWebPkiValid is { } valid ? valid ? ", certificates valid" : ", certificates invalid" : ""),
        };
        return $"mta-sts {sts.Domain}: {state}";
    }
}
