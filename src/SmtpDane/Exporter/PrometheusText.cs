using System.Globalization;
using System.Text;

namespace SmtpDane.Exporter;

/// <summary>
/// A writer for the Prometheus text exposition format (version 0.0.4): one HELP and TYPE line per
/// metric family, then its samples. Label values are escaped as the format requires (backslash,
/// double quote, line feed) and capped in length, so hostile DNS names cannot break a scrape.
/// </summary>
public sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Longest label value written; longer ones are cut and end in "...".</summary>
    public const int MaxLabelLength = 256;

    private readonly StringBuilder _sb = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);

    /// <summary>Writes HELP and TYPE the first time a family is seen.</summary>
    public PrometheusText Family(string name, string type, string help)
    {
        if (_families.Add(name))
        {
            _sb.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
            _sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        }

        return this;
    }

    /// <summary>HELP and TYPE (first time only) and one sample of a family, its name given once.</summary>
    public PrometheusText Metric(string name, string type, string help, double value, params (string Name, string Value)[] labels) =>
        Family(name, type, help).Sample(name, value, labels);

    public PrometheusText Sample(string name, double value, params (string Name, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _sb.Append(name);
        if (labels.Length > 0)
        {
            _sb.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                _sb.Append(i > 0 ? "," : string.Empty).Append(labels[i].Name).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
            }

            _sb.Append('}');
        }

        _sb.Append(' ').Append(FormatValue(value)).Append('\n');
        return this;
    }

    public override string ToString() => _sb.ToString();

    /// <summary>Label value escaping: \ → \\, " → \", line feed → \n; other control characters become '?'.</summary>
    public static string EscapeLabel(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxLabelLength)
        {
            value = string.Concat(value.AsSpan(0, MaxLabelLength - 3), "...");
        }

        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => sb.Append(@"\\"),
                '"' => sb.Append("\\\""),
                '\n' => sb.Append(@"\n"),
                _ when char.IsControl(c) || char.IsSurrogate(c) => sb.Append('?'),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }

    /// <summary>HELP text escaping: \ → \\, line feed → \n.</summary>
    public static string EscapeHelp(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);
    }

    /// <summary>Go's strconv.FormatFloat(v, 'g', -1, 64) spelling for the specials; shortest round-trip otherwise.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
