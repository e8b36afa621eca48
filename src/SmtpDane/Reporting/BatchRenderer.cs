using System.Buffers;
using System.Text;
using System.Text.Json;
using SmtpDane.Findings;

namespace SmtpDane.Reporting;

/// <summary>
/// Output of a batch run (-f): each target is written as soon as the runner hands it over, with
/// -json-lines as one target line, otherwise through the text renderer as a one-target run; only
/// running totals are kept, never the results. <see cref="WriteSummary"/> ends the output with the
/// JSON "run" line or a text summary sentence.
/// </summary>
public sealed class BatchRenderer
{
    private readonly OutputOptions options;
    private readonly TextWriter output;
    private readonly DateTimeOffset started;
    private int targets;
    private int probes;
    private int verified;
    private int warnings;
    private int errors;
    private Severity worst = Severity.Info;

    public BatchRenderer(OutputOptions options, TextWriter output, DateTimeOffset started)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        this.options = options;
        this.output = output;
        this.started = started;
    }

    public int Targets => targets;

    /// <summary>Targets whose verdict is an error so far.</summary>
    public int FailedTargets { get; private set; }

    /// <summary>0 when every target verified without warnings, else 1 (as a single run).</summary>
    public int ExitCode => targets > 0 && worst < Severity.Warning ? ExitCodes.Ok : ExitCodes.Problems;

    public void WriteTarget(TargetResult target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var run = new RunResult([target], [], started, TimeSpan.Zero);
        var verdict = Verdicts.Of(target);
        worst = verdict > worst ? verdict : worst;
        FailedTargets += verdict == Severity.Error ? 1 : 0;
        var s = RunSummary.Of(run);
        targets++;
        probes += s.Probes;
        verified += s.Verified;
        warnings += s.Warnings;
        errors += s.Errors;
        if (options.Format == OutputFormat.JsonLines)
        {
            JsonRenderer.RenderTargetLine(target, started, options, output);
        }
        else
        {
            TextRenderer.Render(run, options, output);
        }
    }

    /// <param name="note">A run-level note (dns.remote-ad), written in every format; null for none.</param>
    public void WriteSummary(TimeSpan duration, int sharedProbes, string shard, Finding? note = null)
    {
        if (options.Format != OutputFormat.JsonLines)
        {
            if (note is not null)
            {
                output.Write($"batch: note: {HostileText.ForTerminal(note.Message, Labels.MessageLength)}\n");
            }

            if (!options.Quiet || worst >= Severity.Warning)
            {
                output.Write($"batch: {RunSummary.Plural(targets, "target")} ({FailedTargets} failed), {RunSummary.Plural(probes, "probe")} ({sharedProbes} shared): {verified} verified, {RunSummary.Plural(warnings, "warning")}, {RunSummary.Plural(errors, "error")}\n");
            }

            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("schema", JsonRenderer.SchemaVersion);
            w.WriteString("type", "run");
            w.WriteString("status", Verdicts.StatusWord(targets == 0 ? Severity.Error : worst));
            w.WriteString("started", Labels.UtcMillis(started));
            w.WriteNumber("duration_seconds", Math.Round(duration.TotalSeconds, 6));
            w.WriteStartObject("summary");
            w.WriteNumber("targets", targets);
            w.WriteNumber("probes", probes);
            w.WriteNumber("verified", verified);
            w.WriteNumber("warnings", warnings);
            w.WriteNumber("errors", errors);
            w.WriteNumber("shared_probes", sharedProbes);
            w.WriteString("shard", shard);
            w.WriteEndObject();
            w.WriteStartArray("findings");
            if (note is not null)
            {
                JsonRenderer.WriteFinding(w, note);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        output.Write('\n');
    }
}
