using SmtpDane.Cli;
using SmtpDane.Model;
using SmtpDane.Reporting;
using SmtpDane.Targets;


namespace SmtpDane.Tests.Cli;

public class OptionValidationTests
{
    [Theory]
    [InlineData("-mx and -submission conflict", "-mx", "-submission")]
    [InlineData("-mx and -submissions conflict", "-mx", "-submissions")]
    [InlineData("-mx and -srv conflict", "-mx", "-srv", "imap")]
    [InlineData("-submission and -submissions conflict", "-submission", "-submissions")]
    [InlineData("-submission and -srv conflict", "-submission", "-srv", "imap")]
    [InlineData("-submissions and -srv conflict", "-submissions", "-srv", "imap")]
    [InlineData("-4 and -6 conflict", "-4", "-6")]
    [InlineData("-json and -nagios conflict", "-json", "-nagios")]
    [InlineData("-json and -json-lines conflict", "-json", "-json-lines")]
    [InlineData("-json-lines and -nagios conflict", "-json-lines", "-nagios")]
    [InlineData("-quiet and -json conflict", "-q", "-json")]
    [InlineData("-quiet and -json-lines conflict", "-quiet", "-json-lines")]
    public void Conflicts_NamedExactly(string expected, params string[] flags) =>
        Assert.Equal(expected, CliTestHelper.Error([.. flags, "example.org"]));

    [Fact]
    public void Conflicts_AllReported()
    {
        var error = CliTestHelper.Error("-mx", "-submission", "-4", "-6", "example.org");
        Assert.Equal("-mx and -submission conflict\n-4 and -6 conflict", error);
    }

    [Fact]
    public void Srv_ServiceStored_LeadingUnderscoreDropped()
    {
        var o = CliTestHelper.Ok("-srv", "_IMAP", "example.org");
        Assert.Equal(TargetMode.Srv, o.Probe.Mode);
        Assert.Equal("imap", o.Probe.SrvService);
    }

    [Fact]
    public void Srv_LeadingHyphen_GoMessage() =>
        Assert.Equal("SRV service names MUST NOT start with a hyphen, \"-mx\" is invalid", CliTestHelper.Error("-srv", "-mx", "example.org"));

    [Theory]
    [InlineData("")]
    [InlineData("imap.x")]
    [InlineData("sub-")]
    [InlineData("_")]
    public void Srv_BadService_Rejected(string service) =>
        Assert.StartsWith("invalid -srv service", CliTestHelper.Error("-srv", service, "example.org"), StringComparison.Ordinal);

    [Fact]
    public void Timeouts_Set()
    {
        var o = CliTestHelper.Ok("-connect-timeout", "5s", "-step-timeout", "15s", "-timeout", "2m", "h.example");
        Assert.Equal(TimeSpan.FromSeconds(5), o.Probe.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), o.Probe.StepTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), o.Probe.OverallTimeout);
    }

    [Fact]
    public void ConnectTimeoutZero_MeansBoundedByOverall()
    {
        var o = CliTestHelper.Ok("-connect-timeout", "0", "-timeout", "45s", "h.example");
        Assert.Equal(TimeSpan.FromSeconds(45), o.Probe.ConnectTimeout);
    }

    [Fact]
    public void StepAndConnectTimeouts_ClampedToOverall()
    {
        var o = CliTestHelper.Ok("-connect-timeout", "2562047h", "-step-timeout", "1000h", "-timeout", "5s", "h.example");
        Assert.Equal(TimeSpan.FromSeconds(5), o.Probe.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), o.Probe.StepTimeout);
    }

    [Theory]
    [InlineData("-connect-timeout", "-1s", "-connect-timeout must not be negative, not -1s")]
    [InlineData("-step-timeout", "0s", "-step-timeout must be more than 0s, not 0s")]
    [InlineData("-timeout", "-5s", "-timeout must be more than 0s and at most 1000h0m0s, not -5s")]
    [InlineData("-timeout", "1001h", "-timeout must be more than 0s and at most 1000h0m0s, not 1001h0m0s")]
    [InlineData("-expiration-warning", "-1h", "-expiration-warning must not be negative (0s disables the warning), not -1h0m0s")]
    public void Timeouts_OutOfRange_Rejected(string flag, string value, string expected) =>
        Assert.Equal(expected, CliTestHelper.Error(flag, value, "h.example"));

    [Theory]
    [InlineData("10x", "invalid value \"10x\" for flag -connect-timeout: time: unknown unit \"x\" in duration \"10x\"")]
    [InlineData("10", "invalid value \"10\" for flag -connect-timeout: time: missing unit in duration \"10\"")]
    [InlineData("1e3s", "invalid value \"1e3s\" for flag -connect-timeout: time: unknown unit \"e\" in duration \"1e3s\"")]
    [InlineData("9999999999h", "invalid value \"9999999999h\" for flag -connect-timeout: time: invalid duration \"9999999999h\"")]
    public void Durations_Malformed_GoErrors(string value, string expected)
    {
        var r = CliTestHelper.Parse("-connect-timeout", value, "h.example");
        Assert.Equal(expected, r.Error);
        Assert.Equal(2, r.ExitCode);
    }

    [Theory]
    [InlineData("mx1.example.net")]
    [InlineData("localhost")]
    [InlineData("[192.0.2.1]")]
    [InlineData("[IPv6:2001:db8::1]")]
    public void Helo_Plausible_Accepted(string helo) =>
        Assert.Equal(helo, CliTestHelper.Ok("-helo", helo, "h.example").Probe.Helo);

    [Theory]
    [InlineData("exa mple.org", "contains a space, control or non-ASCII character")]
    [InlineData("a\r\nRCPT TO:<x>", "contains a space, control or non-ASCII character")]
    [InlineData("", "empty name")]
    [InlineData("[2001:db8::1]", "an address literal must be [a.b.c.d] or [IPv6:address]")]
    [InlineData("a..b", "empty label (two dots in a row, or a leading dot)")]
    public void Helo_Implausible_Rejected(string helo, string reason) =>
        Assert.Equal($"invalid -helo {GoDuration.Quote(helo)}: {reason}", CliTestHelper.Error("-helo", helo, "h.example"));

    [Fact]
    public void Aka_Invalid_Rejected() =>
        Assert.Equal("invalid -aka name \"bad name\": contains a space or control character", CliTestHelper.Error("-aka", "bad name", "h.example"));

    [Theory]
    [InlineData("http://localhost:8080")]
    [InlineData("socks5://")]
    [InlineData("localhost:1080")]
    [InlineData("socks5://host:1080/path")]
    public void ProxyTcp_Invalid_Rejected(string url)
    {
        var error = CliTestHelper.Error("-proxy-tcp", url, "h.example");
        Assert.StartsWith("invalid -proxy-tcp: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Dnssec_Local_Accepted() =>
        Assert.Equal(CliOptions.DnssecLocal, CliTestHelper.Ok("-dnssec", "local", "h.example").DnssecMode);

    [Fact]
    public void Dnssec_Unknown_Rejected() =>
        Assert.Equal("invalid -dnssec \"magic\": expected resolver or local", CliTestHelper.Error("-dnssec", "magic", "h.example"));

    [Fact]
    public void TrustAnchor_WithLocal_Stored() =>
        Assert.Equal("/etc/ta.xml", CliTestHelper.Ok("-dnssec", "local", "-trust-anchor", "/etc/ta.xml", "h.example").TrustAnchorFile);

    [Theory]
    [InlineData]
    [InlineData("-dnssec", "resolver")]
    public void TrustAnchor_WithoutLocal_UsageError(params string[] mode) =>
        Assert.Equal(
            "-trust-anchor needs -dnssec local (in resolver mode the resolver's own trust anchors decide)",
            CliTestHelper.Error([.. mode, "-trust-anchor", "/etc/ta.xml", "h.example"]));

    [Fact]
    public void OutputFlags_Mapped()
    {
        var o = CliTestHelper.Ok("-terse", "-showcerts", "-show-cert-info", "-nocertnames", "-debug", "-debug-fast", "h.example");
        Assert.True(o.Output.Terse && o.Output.ShowCerts && o.Output.ShowCertInfo && o.Output.Debug && o.Debug);
        Assert.True(o.Probe.ShowCerts && o.Probe.ShowCertInfo && o.Probe.NoCertNames);
        Assert.Equal(OutputFormat.Json, CliTestHelper.Ok("-json", "h.example").Output.Format);
        Assert.Equal(OutputFormat.JsonLines, CliTestHelper.Ok("-json-lines", "h.example").Output.Format);
    }

    [Fact]
    public void Color_OnlyOnTerminal_AndNotDisabled()
    {
        var services = ServiceTable.BuiltIn();
        Color([], true, true);
        Color([], false, false);
        Color(["-nocolor"], true, false);
        Color(["-nagios"], true, false);
        Color(["-json"], true, false);
        Color([], true, false, ("NO_COLOR", "1"));
        Color([], true, true, ("NO_COLOR", ""));
        Color([], true, false, ("TERM", "dumb"));

        void Color(string[] flags, bool terminal, bool expected, params (string Key, string Value)[] env)
        {
            var environment = env.ToDictionary(e => e.Key, e => (string?)e.Value);
            var r = ArgumentParser.Parse([.. flags, "h.example"], environment, terminal, services);
            Assert.Equal(expected, r.Options!.Output.Color);
        }
    }

    [Fact]
    public void SeveralProblems_AllReported()
    {
        var error = CliTestHelper.Error("-helo", "a b", "-port", "nosuch", "bad_host!", "ok.example");
        var lines = error.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("can't parse -port \"nosuch\"", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("invalid -helo", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("invalid host \"bad_host!\"", lines[2], StringComparison.Ordinal);
    }
}
