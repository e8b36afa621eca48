using SmtpDane.Findings;

namespace SmtpDane.Reporting;

/// <summary>Renderer entry point: dispatches on <see cref="OutputOptions.Format"/>.</summary>
public static class ReportWriter
{
    public static void Render(RunResult result, OutputOptions options, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (options.Format)
        {
            case OutputFormat.Nagios:
                NagiosRenderer.Render(result, options, stdout);
                break;
            case OutputFormat.Json:
            case OutputFormat.JsonLines:
                JsonRenderer.Render(result, options, stdout);
                break;
            default:
                TextRenderer.Render(result, options, stdout);
                break;
        }
    }

    /// <summary>Renders, then returns <see cref="ExitCodes.For"/> for the chosen format.</summary>
    public static int RenderAndGetExitCode(RunResult result, OutputOptions options, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(options);
        Render(result, options, stdout);
        return ExitCodes.For(result, options.Format == OutputFormat.Nagios);
    }

    /// <summary>
    /// As <see cref="RenderAndGetExitCode(RunResult, OutputOptions, TextWriter)"/>; with
    /// <see cref="OutputOptions.Debug"/> first writes the SMTP transcripts to <paramref name="stderr"/>.
    /// </summary>
    public static int RenderAndGetExitCode(RunResult result, OutputOptions options, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stderr);
        if (options.Debug)
        {
            // Before the report, so that with 2>&1 the summary line stays last.
            TranscriptWriter.Write(result, stderr);
            stderr.Flush();
        }

        return RenderAndGetExitCode(result, options, stdout);
    }
}
