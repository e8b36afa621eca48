using System.Text.Json;

namespace SmtpDane.IntegrationTests;

/// <summary>
/// Every test-bed scenario, run through the whole program in-process (parse, DNS through the
/// validating unbound, real Postfix, render): the overall status, the exit code and the
/// finding codes that explain the verdict must be the ones the scenario table expects.
/// </summary>
public class ScenarioVerdictTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var s in ScenarioTable.Load())
        {
            data.Add(s.Id);
        }

        return data;
    }

    [TestbedTheory]
    [MemberData(nameof(Ids))]
    public async Task Scenario_Json_HasExpectedStatusExitCodeAndFindings(string id)
    {
        var scenario = ScenarioTable.Load().Single(s => s.Id == id);
        var run = await ToolRun.RunAsync([.. ModeFlags(scenario.Mode), .. scenario.ExtraFlags, "-json", scenario.Argument]);

        using var doc = JsonDocument.Parse(run.Stdout);
        var status = doc.RootElement.GetProperty("status").GetString();
        Assert.True(
            Status(scenario.Expected) == status,
            $"{id}: expected {Status(scenario.Expected)}, got {status}; {scenario.Reason}\n{run.Stdout}");
        Assert.Equal(scenario.Expected == ScenarioVerdict.Ok ? 0 : 1, run.ExitCode);
        var codes = ToolRun.FindingCodes(doc.RootElement);
        foreach (var code in scenario.ExpectCodes)
        {
            Assert.True(codes.Contains(code), $"{id}: finding {code} missing; got {string.Join(", ", codes.Order())}");
        }
    }

    [TestbedTheory]
    [MemberData(nameof(Ids))]
    public async Task Scenario_Nagios_ExitCodeMatchesVerdict(string id)
    {
        var scenario = ScenarioTable.Load().Single(s => s.Id == id);
        var run = await ToolRun.RunAsync([.. ModeFlags(scenario.Mode), .. scenario.ExtraFlags, "-nagios", scenario.Argument]);

        var (state, code) = scenario.Expected switch
        {
            ScenarioVerdict.Ok => ("OK", 0),
            ScenarioVerdict.Warning => ("WARNING", 1),
            _ => ("CRITICAL", 2),
        };
        Assert.StartsWith($"DANE {state} - ", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(code, run.ExitCode);
        Assert.Equal("", run.Stderr);
    }

    internal static string[] ModeFlags(ScenarioMode mode) => mode switch
    {
        ScenarioMode.Mx => ["-mx"],
        ScenarioMode.Submission => ["-submission"],
        ScenarioMode.Submissions => ["-submissions"],
        _ => [],
    };

    private static string Status(ScenarioVerdict v) => v switch
    {
        ScenarioVerdict.Ok => "ok",
        ScenarioVerdict.Warning => "warning",
        _ => "error",
    };
}
