using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Reporting;

/// <summary>
/// Machine output (docs/json-schema.md), written with <see cref="Utf8JsonWriter"/> (no reflection,
/// NativeAOT-safe). -json: one indented document per run. -json-lines: one compact object per target
/// per line, then one "run" line. Strings are passed through <see cref="HostileText.ForJson"/>; the
/// encoder escapes control and non-ASCII characters, so the bytes are ASCII and valid UTF-8.
/// </summary>
public static class JsonRenderer
{
    public const int SchemaVersion = 1;

    public static void Render(RunResult result, OutputOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);

        if (options.Format == OutputFormat.JsonLines)
        {
            foreach (var target in result.Targets)
            {
                output.Write(Write(w => WriteTargetLine(w, result, target, options), indented: false));
                output.Write('\n');
            }

            output.Write(Write(w => WriteRunLine(w, result), indented: false));
            output.Write('\n');
            return;
        }

        output.Write(Write(w => WriteDocument(w, result, options), indented: true));
        output.Write('\n');
    }

    /// <summary>One -json-lines target line, for batch runs that stream targets as they finish.</summary>
    public static void RenderTargetLine(TargetResult target, DateTimeOffset started, OutputOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var run = new RunResult([target], [], started, TimeSpan.Zero);
        output.Write(Write(w => WriteTargetLine(w, run, target, options), indented: false));
        output.Write('\n');
    }

    private static string Write(Action<Utf8JsonWriter> body, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writerOptions = new JsonWriterOptions
        {
            Indented = indented,
            IndentSize = 2,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using (var writer = new Utf8JsonWriter(buffer, writerOptions))
        {
            body(writer);
        }

        return EscapeInvisible(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>
    /// The relaxed encoder keeps quotes and non-ASCII text readable but leaves bidi and other format
    /// characters raw. Outside strings JSON is ASCII, so escaping them afterwards stays valid JSON.
    /// </summary>
    private static string EscapeInvisible(string json)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            var width = char.IsSurrogatePair(json, i) ? 2 : 1;
            var category = CharUnicodeInfo.GetUnicodeCategory(json, i);
            if (c > 0x7e && category is UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Control or UnicodeCategory.Surrogate)
            {
                sb ??= new StringBuilder(json, 0, i, json.Length + 16);
                for (var k = 0; k < width; k++)
                {
                    sb.Append("\\u").Append(((int)json[i + k]).ToString("x4", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                sb?.Append(json, i, width);
            }

            i += width - 1;
        }

        return sb?.ToString() ?? json;
    }

    private static void WriteDocument(Utf8JsonWriter w, RunResult result, OutputOptions options)
    {
        w.WriteStartObject();
        WriteRunHeader(w, result);
        w.WriteStartArray("targets");
        foreach (var target in result.Targets)
        {
            w.WriteStartObject();
            WriteTargetBody(w, target, result.StartedAt, options);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTargetLine(Utf8JsonWriter w, RunResult result, TargetResult target, OutputOptions options)
    {
        w.WriteStartObject();
        w.WriteNumber("schema", SchemaVersion);
        w.WriteString("type", "target");
        w.WriteString("started", Labels.UtcMillis(result.StartedAt));
        WriteTargetBody(w, target, result.StartedAt, options);
        w.WriteEndObject();
    }

    private static void WriteRunLine(Utf8JsonWriter w, RunResult result)
    {
        w.WriteStartObject();
        w.WriteNumber("schema", SchemaVersion);
        w.WriteString("type", "run");
        WriteRunHeader(w, result, includeSchema: false);
        w.WriteEndObject();
    }

    private static void WriteRunHeader(Utf8JsonWriter w, RunResult result, bool includeSchema = true)
    {
        if (includeSchema)
        {
            w.WriteNumber("schema", SchemaVersion);
        }

        w.WriteString("status", Verdicts.StatusWord(ExitCodes.EffectiveWorst(result)));
        w.WriteString("started", Labels.UtcMillis(result.StartedAt));
        w.WriteNumber("duration_seconds", Seconds(result.Duration));
        var s = RunSummary.Of(result);
        w.WriteStartObject("summary");
        w.WriteNumber("probes", s.Probes);
        w.WriteNumber("verified", s.Verified);
        w.WriteNumber("warnings", s.Warnings);
        w.WriteNumber("errors", s.Errors);
        w.WriteEndObject();
        WriteFindings(w, result.Findings);
    }

    private static void WriteTargetBody(Utf8JsonWriter w, TargetResult target, DateTimeOffset now, OutputOptions options)
    {
        w.WriteString("argument", HostileText.ForJson(target.Target.Argument));
        w.WriteString("mode", target.Target.Mode switch
        {
            TargetMode.Mx => "mx",
            TargetMode.Srv => "srv",
            _ => "host",
        });
        w.WriteString("name", HostileText.ForJson(target.Target.Name));
        WriteNullableNumber(w, "port", target.Target.Port);
        w.WriteString("status", Verdicts.StatusWord(Verdicts.Of(target)));
        WriteFindings(w, target.Findings);
        if (target.MtaSts is { } sts)
        {
            MtaStsJson.Write(w, sts);
        }

        w.WriteStartArray("hosts");
        foreach (var host in target.Hosts)
        {
            HostJson.Write(w, host, now, options);
        }

        w.WriteEndArray();
    }

    internal static void WriteFindings(Utf8JsonWriter w, IReadOnlyList<Finding> findings)
    {
        w.WriteStartArray("findings");
        foreach (var f in findings)
        {
            WriteFinding(w, f);
        }

        w.WriteEndArray();
    }

    /// <summary>One finding object: severity, code, escaped message, data sorted by key.</summary>
    internal static void WriteFinding(Utf8JsonWriter w, Finding f)
    {
        w.WriteStartObject();
        w.WriteString("severity", Verdicts.SeverityWord(f.Severity));
        w.WriteString("code", f.Code);
        w.WriteString("message", HostileText.ForJson(f.Message));
        w.WriteStartObject("data");
        foreach (var (key, value) in (f.Data ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteString(HostileText.ForJson(key), HostileText.ForJson(value));
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    internal static void WriteNullableNumber(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    internal static double Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 6);
}
