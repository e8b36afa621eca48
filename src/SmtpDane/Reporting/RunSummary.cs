using SmtpDane.Certificates;
using SmtpDane.Findings;

namespace SmtpDane.Reporting;

/// <summary>
/// Counts for the summary line and Nagios perfdata. <see cref="Errors"/> counts error findings plus
/// fail-closed gaps that no error finding explains (see <see cref="Verdicts"/>).
/// </summary>
internal sealed record RunSummary(
    int Probes,
    int Verified,
    int Warnings,
    int Errors,
    TimeSpan? SlowestHandshake,
    int? LeafCertDaysLeft)
{
    public static RunSummary Of(RunResult run)
    {
        int probes = 0, verified = 0;
        var warnings = Count(run.Findings, Severity.Warning);
        var errors = Count(run.Findings, Severity.Error) + (run.Targets.Count == 0 && !HasError(run.Findings) ? 1 : 0);
        TimeSpan? slowest = null;
        int? days = null;
        foreach (var target in run.Targets)
        {
            warnings += Count(target.Findings, Severity.Warning);
            errors += Count(target.Findings, Severity.Error);
            if (target.Hosts.Count == 0 && !HasError(target.Findings) && !Verdicts.NoHostsByDesign(target))
            {
                errors++;
            }

            foreach (var host in target.Hosts)
            {
                warnings += Count(host.Findings, Severity.Warning);
                errors += Count(host.Findings, Severity.Error);
                if (host.Addresses.Count == 0 && !HasError(host.Findings))
                {
                    errors++;
                }

                foreach (var address in host.Addresses)
                {
                    probes++;
                    verified += address.Verified ? 1 : 0;
                    warnings += Count(address.Findings, Severity.Warning);
                    errors += Count(address.Findings, Severity.Error);
                    if (!address.Verified && !address.StsProtected && !HasError(address.Findings))
                    {
                        errors++;
                    }

                    if (address.Tls is { } tls)
                    {
                        slowest = slowest is null || tls.HandshakeTime > slowest ? tls.HandshakeTime : slowest;
                        var left = DaysLeft(tls, run.StartedAt);
                        days = left is null ? days : days is null ? left : Math.Min(days.Value, left.Value);
                    }
                }
            }
        }

        return new RunSummary(probes, verified, warnings, errors, slowest, days);
    }

    /// <summary>"3 probes: 3 verified, 0 warnings, 0 errors".</summary>
    public string Sentence() =>
        $"{Plural(Probes, "probe")}: {Verified} verified, {Plural(Warnings, "warning")}, {Plural(Errors, "error")}";

    public static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static int? DaysLeft(TlsSummary tls, DateTimeOffset now)
    {
        if (tls.Certificates.Count == 0)
        {
            return null;
        }

        try
        {
            var leaf = CertificateFacts.Parse(tls.Certificates[0]);
            return (int)Math.Floor((leaf.NotAfter - now).TotalDays);
        }
        catch (CertificateParseException)
        {
            return null;
        }
    }

    private static int Count(IReadOnlyList<Finding> findings, Severity severity) =>
        findings.Count(f => f.Severity == severity);

    private static bool HasError(IReadOnlyList<Finding> findings) =>
        findings.Any(f => f.Severity == Severity.Error);
}
