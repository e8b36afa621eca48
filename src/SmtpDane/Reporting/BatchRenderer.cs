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
    private readonly OutputOptions _options;
    private readonly TextWriter _output;
    private readonly DateTimeOffset _started;
    private int _targets;
    private int _probes;
    private int _verified;
    private int _warnings;
    private int _errors;
    private Severity _worst = Severity.Info;

    public BatchRenderer(OutputOptions options, TextWriter output, DateTimeOffset started)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        _options = options;
        _output = output;
        _started = started;
    }

    public int Targets => _targets;

    /// <summary>Targets whose verdict is an error so far.</summary>
    public int FailedTargets { get; private set; }

    /// <summary>0 when every target verified without warnings, else 1 (as a single run).</summary>
    public int ExitCode => _targets > 0 && _worst < Severity.Warning ? ExitCodes.Ok : ExitCodes.Problems;

    public void WriteTarget(TargetResult target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var run = new RunResult([target], [], _started, TimeSpan.Zero);
        var verdict = Verdicts.Of(target);
        _worst = verdict > _worst ? verdict : _worst;
        FailedTargets += verdict == Severity.Error ? 1 : 0;
        var s = RunSummary.Of(run);
        _targets++;
        _probes += s.Probes;
        _verified += s.Verified;
        _warnings += s.Warnings;
        _errors += s.Errors;
        if (_options.Format == OutputFormat.JsonLines)
        {
            JsonRenderer.RenderTargetLine(target, _started, _options, _output);
        }
        else
        {
            TextRenderer.Render(run, _options, _output);
        }
    }

    /// <param name="note">A run-level note (dns.remote-ad), written in every format; null for none.</param>
    public void WriteSummary(TimeSpan duration, int sharedProbes, string shard, Finding? note = null)
    {
        if (_options.Format != OutputFormat.JsonLines)
        {
            if (note is not null)
            {
                _output.Write($"batch: note: {HostileText.ForTerminal(note.Message, Labels.MessageLength)}\n");
            }

            if (!_options.Quiet || _worst >= Severity.Warning)
            {
                _output.Write($"batch: {RunSummary.Plural(_targets, "target")} ({FailedTargets} failed), {RunSummary.Plural(_probes, "probe")} ({sharedProbes} shared): {_verified} verified, {RunSummary.Plural(_warnings, "warning")}, {RunSummary.Plural(_errors, "error")}\n");
            }

            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("schema", JsonRenderer.SchemaVersion);
            w.WriteString("type", "run");
            w.WriteString("status", Verdicts.StatusWord(_targets == 0 ? Severity.Error : _worst));
            w.WriteString("started", Labels.UtcMillis(_started));
            w.WriteNumber("duration_seconds", Math.Round(duration.TotalSeconds, 6));
            w.WriteStartObject("summary");
            w.WriteNumber("targets", _targets);
            w.WriteNumber("probes", _probes);
            w.WriteNumber("verified", _verified);
            w.WriteNumber("warnings", _warnings);
            w.WriteNumber("errors", _errors);
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

        _output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        _output.Write('\n');
    }
}
