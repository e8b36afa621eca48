using System.Text.Json;
using SmtpDane.Reporting;

namespace SmtpDane.Tests.Reporting;

/// <summary>Rendered -json and -json-lines output validates against docs/json-schema.json.</summary>
public class JsonSchemaTests
{
    private static readonly Lazy<JsonDocument> Schema = new(() =>
        JsonDocument.Parse(File.ReadAllText(GoldenFile.RepositoryPath("docs/json-schema.json"))));

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var scenario in new[] { "verified", "warning", "failing", "malicious", "empty" })
        {
            data.Add(scenario, false);
            data.Add(scenario, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Json_Scenario_ValidatesAgainstSchema(string scenario, bool showCerts)
    {
        var output = Render(scenario, new OutputOptions { Format = OutputFormat.Json, ShowCerts = showCerts });

        using var document = JsonDocument.Parse(output);
        Assert.Empty(Validator().Validate(document.RootElement));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void JsonLines_Scenario_EachLineValidatesAgainstItsDefinition(string scenario, bool showCerts)
    {
        var output = Render(scenario, new OutputOptions { Format = OutputFormat.JsonLines, ShowCerts = showCerts });
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        for (var i = 0; i < lines.Length; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            var definition = i == lines.Length - 1 ? "#/$defs/runLine" : "#/$defs/targetLine";
            Assert.Empty(Validator().Validate(line.RootElement, definition));
        }
    }

    [Fact]
    public void Json_WithMtaStsSection_ValidatesAgainstSchema()
    {
        var run = ReportFixtures.Verified();
        var sts = new SmtpDane.Findings.MtaStsResult(
            "example.org", SmtpDane.Model.TxtOutcome.Valid, "20260101", new SmtpDane.Model.StsFetch("https://mta-sts.example.org/.well-known/mta-sts.txt", SmtpDane.Model.StsFetchOutcome.Fetched, "x", null),
            new SmtpDane.Model.StsPolicy(SmtpDane.Model.StsMode.Enforce, 604800, ["*.example.org"]), SmtpDane.Model.TxtOutcome.Valid, "mailto:tls@example.org", []);
        var target = SmtpDane.Probing.StsVerdict.Apply(run.Targets[0], sts);
        foreach (var format in new[] { OutputFormat.Json, OutputFormat.JsonLines })
        {
            using var writer = new StringWriter();
            JsonRenderer.Render(run with { Targets = [target] }, new OutputOptions { Format = format }, writer);
            var first = format == OutputFormat.Json ? writer.ToString() : writer.ToString().Split('\n')[0];
            using var document = JsonDocument.Parse(first);
            Assert.Empty(Validator().Validate(document.RootElement, format == OutputFormat.Json ? "#" : "#/$defs/targetLine"));
            Assert.Contains("\"mta_sts\"", first, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_MissingField_Fails()
    {
        using var document = JsonDocument.Parse(Render("verified", new OutputOptions { Format = OutputFormat.Json }).Replace("\"verified\": true,", "", StringComparison.Ordinal));

        Assert.Contains(Validator().Validate(document.RootElement), e => e.Contains("missing required property \"verified\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_UndocumentedFieldOrWrongType_Fails()
    {
        var json = Render("verified", new OutputOptions { Format = OutputFormat.Json })
            .Replace("\"schema\": 1,", "\"schema\": 1, \"extra\": true,", StringComparison.Ordinal)
            .Replace("\"mode\": \"mx\"", "\"mode\": \"MX\"", StringComparison.Ordinal)
            .Replace("\"port\": 25", "\"port\": \"25\"", StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);

        var errors = Validator().Validate(document.RootElement);

        Assert.Contains(errors, e => e.StartsWith("$.extra:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.targets[0].mode:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(".port: expected integer", StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_AndMarkdown_NameTheSameFields()
    {
        // The schema leaves finding codes open (new ones may appear); spot-check that both documents name the fields.
        var markdown = File.ReadAllText(GoldenFile.RepositoryPath("docs/json-schema.md"));
        foreach (var name in new[] { "ocsp_staple_present", "tlsa_base_name", "spki_sha256", "days_left", "duration_seconds", "tls_on_connect" })
        {
            Assert.Contains($"`{name}`", markdown, StringComparison.Ordinal);
            Assert.Contains($"\"{name}\"", File.ReadAllText(GoldenFile.RepositoryPath("docs/json-schema.json")), StringComparison.Ordinal);
        }
    }

    private static JsonSchemaValidator Validator() => new(Schema.Value.RootElement);

    private static string Render(string scenario, OutputOptions options)
    {
        var result = scenario switch
        {
            "malicious" => ReportFixtures.Malicious(),
            "empty" => new SmtpDane.Findings.RunResult([], [], ReportFixtures.Started, TimeSpan.Zero),
            _ => ReportFixtures.Get(scenario),
        };
        var output = new StringWriter();
        ReportWriter.Render(result, options, output);
        return output.ToString();
    }
}
