using System.Text;

namespace SmtpDane.Cli;

/// <summary>The -help text: usage lines, then every flag in Go's PrintDefaults layout.</summary>
public static class HelpText
{
    public static string Build(string programName = "smtpdane")
    {
        var sb = new StringBuilder()
            .Append("Usage: ").Append(programName).Append(" [flags] host[:port] ...\n")
            .Append("       ").Append(programName).Append(" [flags] -mx|-submission|-submissions|-srv service domain[:port] ...\n")
            .Append("       ").Append(programName).Append(" [flags] -f file|-   (one target per line; -parallel, -dns-parallel, -shard K/N)\n")
            .Append("       ").Append(programName).Append(" serve [-listen 127.0.0.1:9125] [flags]   (Prometheus exporter: /probe?target=example.org&mode=mx, /metrics)\n")
            .Append("Check SMTP servers against DNSSEC-signed TLSA records (DANE).\n")
            .Append("Ports: number, service name, or name(number); IPv6 as [2001:db8::25]:587 or bare without a port.\n")
            .Append("Flags come before hosts, as -flag or --flag, -flag value or -flag=value; booleans as -flag or -flag=false.\n")
            .Append("Flags:\n");
        foreach (var flag in FlagDefinition.All)
        {
            var line = new StringBuilder("  -").Append(flag.Name);
            if (flag.ValueName.Length > 0)
            {
                line.Append(' ').Append(flag.ValueName);
            }

            // Go: one-letter booleans keep their usage on the same line.
            line.Append(line.Length <= 4 ? "\t" : "\n    \t").Append(flag.Usage);
            if (flag.DefaultShown is { } shown)
            {
                line.Append(" (default ").Append(shown).Append(')');
            }

            sb.Append(line).Append('\n');
        }

        return sb.ToString();
    }
}
