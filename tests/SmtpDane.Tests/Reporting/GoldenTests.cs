using SmtpDane.Reporting;

namespace SmtpDane.Tests.Reporting;

public class GoldenTests
{
    private static readonly Dictionary<string, (OutputOptions Options, string Extension)> Modes = new()
    {
        ["text"] = (new OutputOptions(), "txt"),
        ["color"] = (new OutputOptions { Color = true }, "txt"),
        ["terse"] = (new OutputOptions { Terse = true }, "txt"),
        ["quiet"] = (new OutputOptions { Quiet = true }, "txt"),
        ["nagios"] = (new OutputOptions { Format = OutputFormat.Nagios, Terse = true }, "txt"),
        ["json"] = (new OutputOptions { Format = OutputFormat.Json }, "json"),
        ["jsonl"] = (new OutputOptions { Format = OutputFormat.JsonLines }, "jsonl"),
        ["certinfo"] = (new OutputOptions { ShowCertInfo = true, ShowCerts = true, Debug = true }, "txt"),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in new[] { "verified", "warning", "failing" })
        {
            foreach (var mode in Modes.Keys)
            {
                data.Add(scenario, mode);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_Scenario_MatchesGoldenFile(string scenario, string mode)
    {
        var (options, extension) = Modes[mode];
        var output = new StringWriter();

        ReportWriter.Render(ReportFixtures.Get(scenario), options, output);

        GoldenFile.AssertMatches($"{scenario}.{mode}.{extension}", output.ToString());
    }

    [Theory]
    [InlineData("verified")]
    [InlineData("failing")]
    public void Debug_Scenario_TranscriptOnStderrMatchesGoldenFile(string scenario)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        ReportWriter.RenderAndGetExitCode(ReportFixtures.Get(scenario), new OutputOptions { Debug = true }, stdout, stderr);

        GoldenFile.AssertMatches($"{scenario}.debug-stderr.txt", stderr.ToString());
    }

    [Fact]
    public void Render_SameTreeTwice_IsIdentical()
    {
        foreach (var (options, _) in Modes.Values)
        {
            var a = new StringWriter();
            var b = new StringWriter();
            ReportWriter.Render(ReportFixtures.Verified(), options, a);
            ReportWriter.Render(ReportFixtures.Verified(), options, b);
            Assert.Equal(a.ToString(), b.ToString());
        }
    }
}
