using System.Text.RegularExpressions;
using SmtpDane.Reporting;

namespace SmtpDane.Tests.Reporting;

public partial class NagiosRendererTests
{
    // Nagios plugin guidelines: 'label'=value[UOM];[warn];[crit];[min];[max]
    [GeneratedRegex(@"^(?:'[^'=]+'|[^'= ]+)=-?[0-9]+(?:\.[0-9]+)?(?:s|ms|us|%|B|KB|MB|TB|c)?(?:;[-0-9.:~@]*){0,4}$")]
    private static partial Regex PerfItem();

    [GeneratedRegex(@"^DANE (OK|WARNING|CRITICAL|UNKNOWN) - [^|\n]+\|[^|\n]*$")]
    private static partial Regex FirstLine();

    [Theory]
    [InlineData("verified", "OK")]
    [InlineData("warning", "WARNING")]
    [InlineData("failing", "CRITICAL")]
    public void Render_FirstLine_StatusAndValidPerfdata(string scenario, string state)
    {
        var lines = Render(ReportFixtures.Get(scenario));

        var match = FirstLine().Match(lines[0]);
        Assert.True(match.Success, lines[0]);
        Assert.Equal(state, match.Groups[1].Value);
        var perf = lines[0][(lines[0].IndexOf('|', StringComparison.Ordinal) + 1)..].Split(' ');
        Assert.All(perf, item => Assert.Matches(PerfItem(), item));
        Assert.Contains(perf, p => p.StartsWith("probes=", StringComparison.Ordinal));
        Assert.Contains(perf, p => p.StartsWith("cert_days=", StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.DoesNotContain('|', l));
    }

    [Fact]
    public void Render_Verified_CountsAndTimes()
    {
        var first = Render(ReportFixtures.Verified())[0];

        Assert.EndsWith("|probes=3;;;0 verified=3;;;0 warnings=0;;;0 errors=0;;;0 handshake=0.021s;;;0 cert_days=89;;;", first, StringComparison.Ordinal);
    }

    [Fact]
    public void BadFlagsLine_EscapesReason()
    {
        Assert.Equal("DANE UNKNOWN - unknown flag -x\\x7cy", NagiosRenderer.BadFlagsLine("unknown flag -x|y"));
        var output = new StringWriter();
        NagiosRenderer.RenderBadFlags("no targets\ngiven", output);
        Assert.Equal("DANE UNKNOWN - no targets\\ngiven\n", output.ToString());
    }

    private static string[] Render(SmtpDane.Findings.RunResult result)
    {
        var output = new StringWriter();
        NagiosRenderer.Render(result, new OutputOptions { Format = OutputFormat.Nagios }, output);
        return output.ToString().TrimEnd('\n').Split('\n');
    }
}
