using System.Net;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.Reporting;

namespace SmtpDane.Tests.Reporting;

public class ExitCodesTests
{
    [Theory]
    [InlineData("verified", 0, 0)]
    [InlineData("warning", 1, 1)]
    [InlineData("failing", 1, 2)]
    public void For_Scenario_DefaultAndNagios(string scenario, int expected, int expectedNagios)
    {
        var result = ReportFixtures.Get(scenario);

        Assert.Equal(expected, ExitCodes.For(result, nagios: false));
        Assert.Equal(expectedNagios, ExitCodes.For(result, nagios: true));
    }

    [Fact]
    public void For_AddressWithoutVerifiedFinding_FailsClosed()
    {
        // No finding is worse than Success, but nothing said "dane.verified".
        var address = new AddressResult(IPAddress.Loopback, 25, [Finding.Success(FindingCodes.TlsEstablished, "TLS up")], null, TimeSpan.Zero);
        var result = Run(Host([address]));

        Assert.Equal(Severity.Error, ExitCodes.EffectiveWorst(result));
        Assert.Equal(ExitCodes.Problems, ExitCodes.For(result, nagios: false));
        Assert.Equal(ExitCodes.NagiosCritical, ExitCodes.For(result, nagios: true));
        Assert.Equal("1 probe: 0 verified, 0 warnings, 1 error", RunSummaryText(result));
    }

    [Fact]
    public void For_HostWithoutAddresses_FailsClosed()
    {
        var result = Run(Host([]));

        Assert.Equal(ExitCodes.Problems, ExitCodes.For(result, nagios: false));
        Assert.Equal(ExitCodes.NagiosCritical, ExitCodes.For(result, nagios: true));
    }

    [Fact]
    public void For_TargetWithoutHosts_FailsClosed()
    {
        var target = new TargetResult(new Target("example.org", TargetMode.Mx, "example.org", null), [Finding.Info(FindingCodes.MxNone, "no MX")], []);
        var result = new RunResult([target], [], ReportFixtures.Started, TimeSpan.Zero);

        Assert.Equal(ExitCodes.Problems, ExitCodes.For(result, nagios: false));
    }

    [Theory]
    [InlineData(FindingCodes.MxNull)]
    [InlineData(FindingCodes.SrvNoService)]
    public void For_NoHostsByDesign_IsWarningNotError(string code)
    {
        var target = new TargetResult(new Target("example.org", TargetMode.Mx, "example.org", null), [Finding.Warning(code, "accepts no mail")], []);
        var result = new RunResult([target], [], ReportFixtures.Started, TimeSpan.Zero);

        Assert.Equal(ExitCodes.Problems, ExitCodes.For(result, nagios: false));
        Assert.Equal(ExitCodes.NagiosWarning, ExitCodes.For(result, nagios: true));
        Assert.Equal(Severity.Warning, ExitCodes.EffectiveWorst(result));
        Assert.Equal("0 probes: 0 verified, 1 warning, 0 errors", RunSummaryText(result));
    }

    [Fact]
    public void For_NullMxBesideAnError_StaysError()
    {
        var target = new TargetResult(
            new Target("example.org", TargetMode.Mx, "example.org", null),
            [Finding.Warning(FindingCodes.MxNull, "accepts no mail"), Finding.Error(FindingCodes.MxInsecure, "insecure")],
            []);
        var result = new RunResult([target], [], ReportFixtures.Started, TimeSpan.Zero);

        Assert.Equal(ExitCodes.NagiosCritical, ExitCodes.For(result, nagios: true));
    }

    [Fact]
    public void For_NoTargets_NagiosUnknown()
    {
        var result = new RunResult([], [], ReportFixtures.Started, TimeSpan.Zero);

        Assert.Equal(ExitCodes.Problems, ExitCodes.For(result, nagios: false));
        Assert.Equal(ExitCodes.NagiosUnknown, ExitCodes.For(result, nagios: true));
    }

    [Fact]
    public void For_InternalError_NagiosUnknown()
    {
        var verified = ReportFixtures.Verified();
        var result = verified with { Findings = [Finding.Error(FindingCodes.RunInternalError, "bug")] };

        Assert.Equal(ExitCodes.Problems, ExitCodes.For(result, nagios: false));
        Assert.Equal(ExitCodes.NagiosUnknown, ExitCodes.For(result, nagios: true));
    }

    [Fact]
    public void ForBadFlags_GoFlagStyleOrNagiosUnknown()
    {
        Assert.Equal(2, ExitCodes.ForBadFlags(nagios: false));
        Assert.Equal(3, ExitCodes.ForBadFlags(nagios: true));
    }

    private static string RunSummaryText(RunResult result)
    {
        var output = new StringWriter();
        TextRenderer.Render(result, new OutputOptions(), output);
        return output.ToString().TrimEnd('\n').Split('\n')[^1];
    }

    private static HostResult Host(IReadOnlyList<AddressResult> addresses) =>
        new("mx.example.org", 25, 10, false, [], "mx.example.org", [], addresses);

    private static RunResult Run(HostResult host) =>
        new([new TargetResult(new Target("example.org", TargetMode.Mx, "example.org", null), [], [host])], [], ReportFixtures.Started, TimeSpan.Zero);
}
