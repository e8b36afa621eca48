using System.Globalization;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Reporting;

/// <summary>
/// Nagios plugin output: <c>DANE STATE - summary|perfdata</c>, then the terse lines as long text.
/// No line contains a raw <c>|</c> except the perfdata separator; no colour.
/// </summary>
public static class NagiosRenderer
{
    private const int SentenceLength = 300;

    public static void Render(RunResult result, OutputOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);

        var summary = RunSummary.Of(result);
        Line(output, $"DANE {State(result)} - {Sentence(result, summary)}{MtaStsNagios.Sentence(result)}|{Perfdata(summary)}{MtaStsNagios.Perfdata(result)}");
        foreach (var (_, text) in TerseLines.For(result, HostileText.ForNagios))
        {
            Line(output, text);
        }
    }

    /// <summary>The line for unusable arguments, "DANE UNKNOWN - reason"; exit with <see cref="ExitCodes.NagiosUnknown"/>.</summary>
    public static string BadFlagsLine(string reason) => $"DANE UNKNOWN - {HostileText.ForNagios(reason, SentenceLength)}";

    public static void RenderBadFlags(string reason, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Line(output, BadFlagsLine(reason));
    }

    /// <summary>OK, WARNING, CRITICAL or UNKNOWN, consistent with <see cref="ExitCodes.For"/>.</summary>
    internal static string State(RunResult result) => ExitCodes.For(result, nagios: true) switch
    {
        ExitCodes.NagiosOk => "OK",
        ExitCodes.NagiosWarning => "WARNING",
        ExitCodes.NagiosCritical => "CRITICAL",
        _ => "UNKNOWN",
    };

    private static string Sentence(RunResult result, RunSummary summary)
    {
        var internalError = result.Findings.FirstOrDefault(f => f.Code == FindingCodes.RunInternalError);
        if (internalError is not null)
        {
            return HostileText.ForNagios(internalError.Message, SentenceLength);
        }

        if (result.Targets.Count == 0)
        {
            return "nothing to check";
        }

        var names = string.Join(", ", result.Targets.Select(t => t.Target.Argument));
        var text = $"{summary.Verified}/{summary.Probes} probes verified for {HostileText.ForNagios(names, 120)}";
        var worst = ExitCodes.EffectiveWorst(result);
        if (worst >= Severity.Warning)
        {
            text += $"; {RunSummary.Plural(summary.Warnings, "warning")}, {RunSummary.Plural(summary.Errors, "error")}";
            var first = FirstProblem(result, worst);
            if (first is not null)
            {
                text += $"; first: {HostileText.ForNagios(first, 160)}";
            }
        }

        return text;
    }

    private static string? FirstProblem(RunResult result, Severity worst)
    {
        var all = result.Findings
            .Concat(result.Targets.SelectMany(t => t.Findings
                .Concat(t.Hosts.SelectMany(h => h.Findings.Concat(h.Addresses.SelectMany(a => a.Findings))))));
        return all.FirstOrDefault(f => f.Severity == worst)?.Message;
    }

    /// <summary><c>'label'=value[UOM];[warn];[crit];[min];[max]</c>, space separated.</summary>
    private static string Perfdata(RunSummary s)
    {
        var parts = new List<string>
        {
            $"probes={s.Probes};;;0",
            $"verified={s.Verified};;;0",
            $"warnings={s.Warnings};;;0",
            $"errors={s.Errors};;;0",
        };
        if (s.SlowestHandshake is { } handshake)
        {
            parts.Add($"handshake={handshake.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)}s;;;0");
        }

        if (s.LeafCertDaysLeft is { } days)
        {
            parts.Add($"cert_days={days.ToString(CultureInfo.InvariantCulture)};;;");
        }

        return string.Join(' ', parts);
    }

    private static void Line(TextWriter w, string text)
    {
        w.Write(text);
        w.Write('\n');
    }
}
