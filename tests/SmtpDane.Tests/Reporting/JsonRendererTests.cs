using System.Text.Json;
using SmtpDane.Findings;
using SmtpDane.Reporting;

namespace SmtpDane.Tests.Reporting;

public class JsonRendererTests
{
    [Fact]
    public void Render_Verified_DocumentStructure()
    {
        using var doc = JsonDocument.Parse(Render(ReportFixtures.Verified(), OutputFormat.Json));
        var root = doc.RootElement;

        Assert.Equal(1, root.GetProperty("schema").GetInt32());
        Assert.Equal("ok", root.GetProperty("status").GetString());
        Assert.Equal("2025-06-01T12:00:00.000Z", root.GetProperty("started").GetString());
        Assert.Equal(3, root.GetProperty("summary").GetProperty("probes").GetInt32());
        var target = Assert.Single(root.GetProperty("targets").EnumerateArray());
        Assert.Equal("mx", target.GetProperty("mode").GetString());
        var hosts = target.GetProperty("hosts").EnumerateArray().ToList();
        Assert.Equal(["mx1.example.org", "mx2.example.org"], hosts.Select(h => h.GetProperty("name").GetString()));
        var tlsa = hosts[0].GetProperty("tlsa")[1];
        Assert.Equal(2, tlsa.GetProperty("usage").GetInt32());
        Assert.Equal(64, tlsa.GetProperty("data").GetString()!.Length);
        var address = hosts[1].GetProperty("addresses")[0];
        Assert.True(address.GetProperty("verified").GetBoolean());
        Assert.True(address.GetProperty("tls").GetProperty("ocsp_staple_present").GetBoolean());
        Assert.Equal("MAMKAQA=", address.GetProperty("tls").GetProperty("ocsp_staple").GetString());
        var leaf = address.GetProperty("certificates")[0];
        Assert.Equal("mx2.example.org", leaf.GetProperty("cn").GetString());
        Assert.Equal("2025-08-30T00:00:00Z", leaf.GetProperty("not_after").GetString());
        Assert.Equal(64, leaf.GetProperty("spki_sha256").GetString()!.Length);
        Assert.False(leaf.TryGetProperty("der", out _));
    }

    [Fact]
    public void Render_EveryFindingCode_IsKnown()
    {
        foreach (var scenario in new[] { "verified", "warning", "failing" })
        {
            using var doc = JsonDocument.Parse(Render(ReportFixtures.Get(scenario), OutputFormat.Json));
            foreach (var finding in AllFindings(doc.RootElement))
            {
                Assert.Contains(finding.GetProperty("code").GetString(), FindingCodes.All);
                Assert.Contains(finding.GetProperty("severity").GetString(), new[] { "info", "success", "warning", "error" });
                Assert.Equal(JsonValueKind.Object, finding.GetProperty("data").ValueKind);
            }
        }
    }

    [Fact]
    public void Render_Failing_TimedOutAddressHasNullTls()
    {
        using var doc = JsonDocument.Parse(Render(ReportFixtures.Failing(), OutputFormat.Json));
        var addresses = doc.RootElement.GetProperty("targets")[0].GetProperty("hosts")[0].GetProperty("addresses");

        Assert.Equal("error", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, addresses[1].GetProperty("tls").ValueKind);
        Assert.False(addresses[1].GetProperty("verified").GetBoolean());
    }

    [Fact]
    public void Render_JsonLines_OneTargetPerLineThenRun()
    {
        var result = ReportFixtures.Verified();
        result = result with { Targets = [.. result.Targets, .. ReportFixtures.Failing().Targets] };

        var lines = Render(result, OutputFormat.JsonLines).TrimEnd('\n').Split('\n');

        Assert.Equal(3, lines.Length);
        var types = lines.Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            return $"{doc.RootElement.GetProperty("type").GetString()}:{doc.RootElement.GetProperty("status").GetString()}";
        });
        Assert.Equal(["target:ok", "target:error", "run:error"], types);
    }

    [Fact]
    public void Render_ShowCerts_IncludesDer()
    {
        var output = new StringWriter();
        JsonRenderer.Render(ReportFixtures.Verified(), new OutputOptions { Format = OutputFormat.Json, ShowCerts = true }, output);
        using var doc = JsonDocument.Parse(output.ToString());

        var cert = doc.RootElement.GetProperty("targets")[0].GetProperty("hosts")[0].GetProperty("addresses")[0].GetProperty("certificates")[0];
        Assert.NotEmpty(cert.GetProperty("der").GetBytesFromBase64());
    }

    [Fact]
    public void SchemaDocument_ListsEveryFindingCode()
    {
        var doc = File.ReadAllText(GoldenFile.RepositoryPath("docs/json-schema.md"));

        Assert.All(FindingCodes.All, code => Assert.Contains($"| `{code}` |", doc, StringComparison.Ordinal));
    }

    internal static string Render(RunResult result, OutputFormat format)
    {
        var output = new StringWriter();
        ReportWriter.Render(result, new OutputOptions { Format = format }, output);
        return output.ToString();
    }

    private static IEnumerable<JsonElement> AllFindings(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "findings")
                {
                    foreach (var f in property.Value.EnumerateArray())
                    {
                        yield return f;
                    }
                }
                else
                {
                    foreach (var f in AllFindings(property.Value))
                    {
                        yield return f;
                    }
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var f in AllFindings(item))
                {
                    yield return f;
                }
            }
        }
    }
}
