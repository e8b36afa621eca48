namespace SmtpDane.Cli;

/// <summary>What the command line asks for.</summary>
public enum ParseOutcome
{
    /// <summary>Probe: <see cref="ParseResult.Options"/> is set.</summary>
    Run,

    /// <summary>-help, -h: print <see cref="HelpText"/> (to stderr, as Go's flag package) and exit 0.</summary>
    Help,

    /// <summary>-version: print <see cref="VersionText"/>; exit <see cref="ParseResult.ExitCode"/>.</summary>
    Version,

    /// <summary>Bad command line: print <see cref="ParseResult.Error"/>; exit <see cref="ParseResult.ExitCode"/>.</summary>
    Error,
}
