using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SmtpDane.Certificates;
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
            WriteHost(w, host, now, options);
        }

        w.WriteEndArray();
    }

    private static void WriteHost(Utf8JsonWriter w, HostResult host, DateTimeOffset now, OutputOptions options)
    {
        w.WriteStartObject();
        w.WriteString("name", HostileText.ForJson(host.Name));
        w.WriteNumber("port", host.Port);
        WriteNullableNumber(w, "preference", host.Preference);
        w.WriteBoolean("tls_on_connect", host.TlsOnConnect);
        w.WriteString("status", Verdicts.StatusWord(Verdicts.Of(host)));
        if (host.TlsaBaseName is null)
        {
            w.WriteNull("tlsa_base_name");
        }
        else
        {
            w.WriteString("tlsa_base_name", HostileText.ForJson(host.TlsaBaseName));
        }

        w.WriteStartArray("tlsa");
        foreach (var record in host.Tlsa)
        {
            w.WriteStartObject();
            w.WriteNumber("usage", record.Usage);
            w.WriteNumber("selector", record.Selector);
            w.WriteNumber("matching", record.MatchingType);
            w.WriteString("data", Convert.ToHexStringLower(record.Data));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteFindings(w, host.Findings);
        w.WriteStartArray("addresses");
        foreach (var address in host.Addresses)
        {
            WriteAddress(w, address, now, options);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteAddress(Utf8JsonWriter w, AddressResult address, DateTimeOffset now, OutputOptions options)
    {
        w.WriteStartObject();
        w.WriteString("address", address.Address.ToString());
        w.WriteNumber("port", address.Port);
        w.WriteString("status", Verdicts.StatusWord(Verdicts.Of(address)));
        w.WriteBoolean("verified", address.Verified);
        w.WriteNumber("duration_seconds", Seconds(address.Duration));
        WriteFindings(w, address.Findings);
        if (address.Tls is not { } tls)
        {
            w.WriteNull("tls");
            w.WriteStartArray("certificates");
            w.WriteEndArray();
            w.WriteEndObject();
            return;
        }

        w.WriteStartObject("tls");
        w.WriteString("version", HostileText.ForJson(tls.Version));
        w.WriteString("cipher", HostileText.ForJson(tls.CipherSuite));
        w.WriteNumber("handshake_seconds", Seconds(tls.HandshakeTime));
        w.WriteBoolean("ocsp_staple_present", tls.OcspStaple is { Length: > 0 });
        if (tls.OcspStaple is { Length: > 0 } staple)
        {
            w.WriteString("ocsp_staple", Convert.ToBase64String(staple));
        }
        else
        {
            w.WriteNull("ocsp_staple");
        }

        w.WriteEndObject();
        w.WriteStartArray("certificates");
        foreach (var der in tls.Certificates)
        {
            WriteCertificate(w, der, now, options);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteCertificate(Utf8JsonWriter w, byte[] der, DateTimeOffset now, OutputOptions options)
    {
        w.WriteStartObject();
        try
        {
            var facts = CertificateFacts.Parse(der);
            w.WriteString("subject", HostileText.ForJson(facts.Subject));
            w.WriteString("issuer", HostileText.ForJson(facts.Issuer));
            if (facts.CommonName is null)
            {
                w.WriteNull("cn");
            }
            else
            {
                w.WriteString("cn", HostileText.ForJson(facts.CommonName));
            }

            WriteStrings(w, "dns_names", facts.DnsNames);
            WriteStrings(w, "ip_addresses", facts.IpAddresses);
            w.WriteString("not_before", Labels.Utc(facts.NotBefore));
            w.WriteString("not_after", Labels.Utc(facts.NotAfter));
            w.WriteNumber("days_left", (int)Math.Floor((facts.NotAfter - now).TotalDays));
            w.WriteString("serial", facts.SerialHex);
            w.WriteString("signature_algorithm", HostileText.ForJson(facts.SignatureAlgorithm));
            w.WriteBoolean("is_ca", facts.IsCa);
            w.WriteString("spki_sha256", Convert.ToHexStringLower(facts.SpkiSha256));
            w.WriteString("sha256", Convert.ToHexStringLower(facts.CertificateSha256));
        }
        catch (CertificateParseException e)
        {
            w.WriteString("error", HostileText.ForJson(e.Message));
            w.WriteString("sha256", Convert.ToHexStringLower(Digests.Sha256(der)));
        }

        if (options.ShowCerts)
        {
            w.WriteString("der", Convert.ToBase64String(der));
        }

        w.WriteEndObject();
    }

    private static void WriteFindings(Utf8JsonWriter w, IReadOnlyList<Finding> findings)
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

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(HostileText.ForJson(v));
        }

        w.WriteEndArray();
    }

    private static void WriteNullableNumber(Utf8JsonWriter w, string name, int? value)
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

    private static double Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 6);
}
