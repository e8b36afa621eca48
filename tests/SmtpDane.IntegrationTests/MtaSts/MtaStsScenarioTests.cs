using System.Text.Json;

namespace SmtpDane.IntegrationTests.MtaSts;

/// <summary>
/// Every MTA-STS scenario of the test bed (nginx policy hosts, real Postfix MX hosts) through the
/// whole program with -mx -mta-sts -ca-file, in every output mode: the verdict, the exit code and
/// the finding codes; and mta-sts-query's answer against our parsed policy.
/// </summary>
public class MtaStsScenarioTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var s in MtaStsScenario.Load())
        {
            data.Add(s.Id);
        }

        return data;
    }

    [TestbedTheory]
    [MemberData(nameof(Ids))]
    public async Task Scenario_Json_VerdictCodesAndPolicySection(string id)
    {
        var s = Scenario(id);
        var run = await RunAsync(s, "-json");
        using var doc = JsonDocument.Parse(run.Stdout);
        var target = doc.RootElement.GetProperty("targets")[0];
        Assert.True(s.Expected == target.GetProperty("status").GetString(), $"{id}: expected {s.Expected}; {s.Reason}\n{run.Stdout}");
        Assert.Equal(s.Expected == "ok" ? 0 : 1, run.ExitCode);
        AssertCodes(s, ToolRun.FindingCodes(doc.RootElement));
        var sts = target.GetProperty("mta_sts");
        Assert.Equal("valid", sts.GetProperty("record").GetString());
        Assert.Equal(s.Reference.StartsWith("VALID", StringComparison.Ordinal), sts.GetProperty("policy_valid").GetBoolean());
        Assert.Equal(s.Reference, Ours(sts));
    }

    [TestbedTheory]
    [MemberData(nameof(Ids))]
    public async Task Scenario_JsonLines_VerdictAndCodes(string id)
    {
        var s = Scenario(id);
        var run = await RunAsync(s, "-json-lines");
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var target = JsonDocument.Parse(lines[0]);
        Assert.Equal(s.Expected, target.RootElement.GetProperty("status").GetString());
        Assert.Equal(s.Expected == "ok" ? 0 : 1, run.ExitCode);
        AssertCodes(s, ToolRun.FindingCodes(target.RootElement));
    }

    [TestbedTheory]
    [MemberData(nameof(Ids))]
    public async Task Scenario_Nagios_StateAndPerfdata(string id)
    {
        var s = Scenario(id);
        var run = await RunAsync(s, "-nagios");
        var (state, code) = s.Expected switch { "ok" => ("OK", 0), "warning" => ("WARNING", 1), _ => ("CRITICAL", 2) };
        Assert.StartsWith($"DANE {state} - ", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(code, run.ExitCode);
        var first = run.Stdout.Split('\n')[0];
        Assert.Contains("mta-sts ", first, StringComparison.Ordinal);
        Assert.Contains(" sts_policy_valid=", first, StringComparison.Ordinal);
    }

    [TestbedTheory]
    [MemberData(nameof(Ids))]
    public async Task Scenario_TextDebug_ShowsCodes(string id)
    {
        var s = Scenario(id);
        var run = await RunAsync(s, "-debug");
        Assert.Equal(s.Expected == "ok" ? 0 : 1, run.ExitCode);
        foreach (var c in s.ExpectCodes)
        {
            Assert.Contains(c, run.Stdout, StringComparison.Ordinal);
        }
    }

    [TestbedTheory]
    [MemberData(nameof(Ids))]
    public async Task Scenario_Terse_OneLinePerProblem(string id)
    {
        var s = Scenario(id);
        var run = await RunAsync(s, "-terse");
        Assert.Equal(s.Expected == "ok" ? 0 : 1, run.ExitCode);
        var problem = s.Expected == "ok" ? null : s.Expected == "warning" ? "WARNING" : "ERROR";
        if (problem is not null)
        {
            Assert.Contains(problem, run.Stdout, StringComparison.Ordinal);
        }
    }

    /// <summary>mta-sts-query (postfix-mta-sts-resolver) agrees with us on the policy of every scenario.</summary>
    [TestbedTheory]
    [MemberData(nameof(Ids))]
    public async Task Scenario_ReferenceAgreesOnPolicy(string id)
    {
        Assert.True(File.Exists(MtaStsReference.Program), $"{MtaStsReference.Program} missing; testbed/install.sh installs it with the test bed");
        var s = Scenario(id);
        var reference = await MtaStsReference.QueryAsync(s.Domain);
        Assert.Equal(s.Reference, reference);
        var run = await RunAsync(s, "-json");
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal(reference, Ours(doc.RootElement.GetProperty("targets")[0].GetProperty("mta_sts")));
    }

    /// <summary>-mta-sts with -f: every mx line is checked, results in input order.</summary>
    [TestbedFact]
    public async Task Batch_MtaSts_EveryLineJudged()
    {
        var file = System.IO.Path.Combine(Testbed.RunDirectory, "mta-sts-batch.txt");
        var rows = MtaStsScenario.Load();
        await File.WriteAllLinesAsync(file, rows.Select(r => "mx " + r.Domain));
        var run = await ToolRun.RunAsync(["-mx", "-mta-sts", "-ca-file", Testbed.CaBundlePath, "-json-lines", "-f", file]);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rows.Count + 1, lines.Length);
        for (var i = 0; i < rows.Count; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            Assert.True(rows[i].Expected == line.RootElement.GetProperty("status").GetString(), $"{rows[i].Id}: {lines[i]}");
            Assert.Equal(rows[i].Reference, Ours(line.RootElement.GetProperty("mta_sts")));
            AssertCodes(rows[i], ToolRun.FindingCodes(line.RootElement));
        }
    }

    /// <summary>Our policy in the reference's reduced form.</summary>
    internal static string Ours(JsonElement sts)
    {
        if (!sts.GetProperty("policy_valid").GetBoolean())
        {
            return sts.GetProperty("record").GetString() == "valid" ? "FETCH_ERROR" : "NONE";
        }

        var mx = sts.GetProperty("mx").EnumerateArray().Select(e => e.GetString()!).ToList();
        return $"VALID {sts.GetProperty("mode").GetString()} {sts.GetProperty("max_age").GetInt64()} {(mx.Count == 0 ? "-" : string.Join(",", mx))}";
    }

    private static MtaStsScenario Scenario(string id) => MtaStsScenario.Load().Single(s => s.Id == id);

    private static Task<ToolRun> RunAsync(MtaStsScenario s, string output) =>
        ToolRun.RunAsync(["-mx", "-mta-sts", "-ca-file", Testbed.CaBundlePath, output, s.Domain]);

    private static void AssertCodes(MtaStsScenario s, HashSet<string> codes)
    {
        foreach (var c in s.ExpectCodes)
        {
            Assert.True(codes.Contains(c), $"{s.Id}: finding {c} missing; got {string.Join(", ", codes.Order())}");
        }
    }
}
