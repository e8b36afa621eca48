using SmtpDane.Findings;

namespace SmtpDane.Reporting;

/// <summary>
/// Terse output, shared by -terse, -quiet and the Nagios long text: one line per warning or error
/// finding and one verdict per address, each prefixed <c>[host port addr]</c>; escaped, uncoloured.
/// </summary>
internal static class TerseLines
{
    public static IEnumerable<(Severity Severity, string Text)> For(RunResult run, Func<string, int, string> escape)
    {
        foreach (var target in run.Targets)
        {
            var targetPrefix = $"[{escape(target.Target.Argument, Labels.NameLength)}]";
            foreach (var line in Problems(target.Findings, targetPrefix, escape))
            {
                yield return line;
            }

            if (target.Hosts.Count == 0 && !Verdicts.NoHostsByDesign(target))
            {
                yield return (Severity.Error, $"{targetPrefix} ERROR: no SMTP host to probe");
            }

            foreach (var host in target.Hosts)
            {
                var hostName = escape(host.Name, Labels.NameLength);
                var hostPrefix = $"[{hostName} {host.Port}]";
                foreach (var line in Problems(host.Findings, hostPrefix, escape))
                {
                    yield return line;
                }

                if (host.Addresses.Count == 0)
                {
                    yield return (Severity.Error, $"{hostPrefix} ERROR: no address to probe");
                }

                foreach (var address in host.Addresses)
                {
                    var prefix = $"[{hostName} {address.Port} {address.Address}]";
                    foreach (var line in Problems(address.Findings, prefix, escape))
                    {
                        yield return line;
                    }

                    var verdict = Verdicts.Of(address);
                    yield return (verdict == Severity.Info ? Severity.Success : verdict, $"{prefix} {Labels.Verdict(address)}");
                }
            }
        }

        foreach (var line in Problems(run.Findings, "[smtpdane]", escape))
        {
            yield return line;
        }

        // Run-level notes are few and about the run's trust (dns.remote-ad): shown in every mode.
        foreach (var f in run.Findings.Where(f => f.Severity < Severity.Warning))
        {
            yield return (f.Severity, $"[smtpdane] NOTE: {escape(f.Message, Labels.MessageLength)}");
        }
    }

    private static IEnumerable<(Severity, string)> Problems(IReadOnlyList<Finding> findings, string prefix, Func<string, int, string> escape)
    {
        foreach (var f in findings)
        {
            if (f.Severity >= Severity.Warning)
            {
                var word = f.Severity == Severity.Error ? "ERROR" : "WARNING";
                yield return (f.Severity, $"{prefix} {word}: {escape(f.Message, Labels.MessageLength)}");
            }
        }
    }
}
