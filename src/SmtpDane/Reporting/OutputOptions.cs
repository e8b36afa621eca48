namespace SmtpDane.Reporting;

/// <summary>Output format chosen on the command line.</summary>
public enum OutputFormat
{
    Text,
    Nagios,
    Json,
    JsonLines,
}

/// <summary>How to render a run. Built by <c>Cli/</c>; read by the renderers.</summary>
public sealed record OutputOptions
{
    public OutputFormat Format { get; init; } = OutputFormat.Text;

    /// <summary>Nothing unless there is a warning or error (-quiet, for cron).</summary>
    public bool Quiet { get; init; }

    /// <summary>One line per finding that matters (-terse; implied by -nagios).</summary>
    public bool Terse { get; init; }

    /// <summary>ANSI colour; the CLI decides (terminal, -nocolor, NO_COLOR, -nagios).</summary>
    public bool Color { get; init; }

    public bool ShowCertInfo { get; init; }

    public bool ShowCerts { get; init; }

    /// <summary>OCSP details are shown with -show-cert-info or -expect-ocsp.</summary>
    public bool ExpectOcsp { get; init; }

    public bool Debug { get; init; }
}
