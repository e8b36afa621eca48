using SmtpDane.Findings;
using SmtpDane.Model;


namespace SmtpDane.Reporting;

/// <summary>
/// -debug: the SMTP conversation of every probe, for stderr, in output order (target, preference,
/// address). One header per probe in Postfix's <c>host[addr]:port</c> form, then <c>C:</c>/<c>S:</c>
/// lines as posttls-finger shows them, with a marker where TLS starts. Every line is escaped.
/// </summary>
internal static class TranscriptWriter
{
    /// <summary>A transcript line is at most 512 octets (RFC 5321 §4.5.3.1.4) plus escapes.</summary>
    private const int LineLength = 1100;

    public static void Write(RunResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var target in result.Targets)
        {
            foreach (var host in target.Hosts)
            {
                foreach (var address in host.Addresses)
                {
                    WriteProbe(host, address, output);
                }
            }
        }
    }

    private static void WriteProbe(HostResult host, AddressResult address, TextWriter output)
    {
        Line(output, $"smtpdane: debug: SMTP transcript of {Labels.Endpoint(host, address, HostileText.ForTerminal)}");
        var entries = address.Transcript ?? [];
        if (entries.Count == 0)
        {
            Line(output, "  (no SMTP lines exchanged)");
        }

        if (host.TlsOnConnect && entries.Count > 0)
        {
            Line(output, "  -- TLS on connect --");
        }

        var startTlsSent = false;
        var tlsMarked = false;
        foreach (var entry in entries)
        {
            if (entry.Direction == SmtpDirection.Client)
            {
                if (startTlsSent && !tlsMarked)
                {
                    Line(output, "  -- TLS handshake; the lines below are encrypted --");
                    tlsMarked = true;
                }

                startTlsSent |= entry.Line.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase);
            }

            var who = entry.Direction == SmtpDirection.Client ? "C:" : "S:";
            Line(output, $"  {who} {HostileText.ForTerminal(entry.Line, LineLength)}");
        }

        if (address.TranscriptTruncated)
        {
            Line(output, "  (transcript truncated: further lines were not recorded)");
        }
    }

    private static void Line(TextWriter w, string text)
    {
        w.Write(text);
        w.Write('\n');
    }
}
