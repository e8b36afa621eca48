using System.Text.Json;

namespace SmtpDane.IntegrationTests.Batch;

/// <summary>
/// -f over the test bed: every scenario without extra flags, repeated to 1,000 lines, one run;
/// each JSON line must carry its scenario's verdict, in input order, with repeated hosts probed once.
/// </summary>
public class BatchRunTests
{
    private static string Line(Scenario s) => s.Mode switch
    {
        ScenarioMode.Mx => $"mx {s.Argument}",
        ScenarioMode.Submission => $"submission {s.Argument}",
        ScenarioMode.Submissions => $"submissions {s.Argument}",
        _ => $"host {s.Argument}",
    };

    private static string Status(ScenarioVerdict v) => v switch
    {
        ScenarioVerdict.Ok => "ok",
        ScenarioVerdict.Warning => "warning",
        _ => "error",
    };

    [TestbedFact]
    public async Task Batch_ThousandLines_PerLineVerdictsInOrder()
    {
        var scenarios = ScenarioTable.Load().Where(s => s.ExtraFlags.Count == 0).ToList();
        var lines = Enumerable.Range(0, 1000).Select(i => scenarios[i % scenarios.Count]).ToList();
        var file = Path.Combine(Path.GetTempPath(), $"smtpdane-batch-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(file, ["# test bed batch", .. lines.Select(Line)]);
        try
        {
            var run = await ToolRun.RunAsync(["-json-lines", "-parallel", "16", "-timeout", "30s", "-f", file]);

            var output = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(1001, output.Length);
            for (var i = 0; i < lines.Count; i++)
            {
                using var doc = JsonDocument.Parse(output[i]);
                var root = doc.RootElement;
                Assert.Equal("target", root.GetProperty("type").GetString());
                var expected = lines[i];
                Assert.True(
                    Status(expected.Expected) == root.GetProperty("status").GetString(),
                    $"line {i + 2} ({expected.Id}): expected {Status(expected.Expected)}\n{output[i]}");
            }

            using var summary = JsonDocument.Parse(output[^1]);
            Assert.Equal("run", summary.RootElement.GetProperty("type").GetString());
            Assert.Equal(1000, summary.RootElement.GetProperty("summary").GetProperty("targets").GetInt32());
            Assert.True(summary.RootElement.GetProperty("summary").GetProperty("shared_probes").GetInt32() > 900, output[^1]);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("probe.shared", output[scenarios.Count], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestbedFact]
    public async Task Batch_Shards_PartitionTheFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"smtpdane-shard-{Guid.NewGuid():N}.txt");
        var domains = ScenarioTable.Load().Where(s => s.Mode == ScenarioMode.Mx && s.ExtraFlags.Count == 0).Select(s => s.Argument).ToList();
        await File.WriteAllLinesAsync(file, domains);
        try
        {
            var seen = new List<string>();
            for (var k = 1; k <= 3; k++)
            {
                var run = await ToolRun.RunAsync(["-mx", "-json-lines", "-shard", $"{k}/3", "-f", file]);
                foreach (var line in run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    using var doc = JsonDocument.Parse(line);
                    if (doc.RootElement.GetProperty("type").GetString() == "target")
                    {
                        seen.Add(doc.RootElement.GetProperty("name").GetString()!);
                    }
                }
            }

            Assert.Equal(domains.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
