namespace SmtpDane.Cli;

/// <summary>The parser's answer; the caller prints and exits, the parser never does.</summary>
public sealed record ParseResult
{
    public required ParseOutcome Outcome { get; init; }

    /// <summary>Set when <see cref="Outcome"/> is Run.</summary>
    public CliOptions? Options { get; init; }

    /// <summary>Set when <see cref="Outcome"/> is Error: one line per problem, no program-name prefix.</summary>
    public string? Error { get; init; }

    /// <summary>Print <see cref="HelpText"/> after the error (Go does for flag syntax errors and no hosts).</summary>
    public bool ShowUsage { get; init; }

    /// <summary>-nagios was seen: errors go to stdout (Go tool) and exit codes are Nagios'.</summary>
    public bool Nagios { get; init; }

    /// <summary>
    /// Exit code for Help (0), Version (0; 3 with -nagios, as Go), Error (2 for flag syntax as Go's
    /// flag package, 1 for bad values or conflicts; 3 = UNKNOWN whenever -nagios was seen).
    /// Meaningless for Run.
    /// </summary>
    public int ExitCode { get; init; }

    internal static ParseResult Run(CliOptions options) => new() { Outcome = ParseOutcome.Run, Options = options, Nagios = options.NagiosExitCodes };

    internal static ParseResult Help() => new() { Outcome = ParseOutcome.Help };

    internal static ParseResult Version(bool nagios) => new() { Outcome = ParseOutcome.Version, Nagios = nagios, ExitCode = nagios ? 3 : 0 };

    internal static ParseResult Fail(string error, bool nagios, bool syntax = false, bool showUsage = false) => new()
    {
        Outcome = ParseOutcome.Error,
        Error = error,
        Nagios = nagios,
        ShowUsage = showUsage,
        ExitCode = nagios ? 3 : syntax ? 2 : 1,
    };
}
