using SmtpDane.Model;
using SmtpDane.Reporting;


namespace SmtpDane.Tests.Cli;

/// <summary>Every example command line of the Go smtpdane README parses as it meant.</summary>
public class ReadmeExamplesTests
{
    [Fact]
    public void Host_Plain_ChecksEveryAddressOnDefaultPort()
    {
        var o = CliTestHelper.Ok("mail.example.org");
        var t = Assert.Single(o.Targets);
        Assert.Equal(new Target("mail.example.org", TargetMode.Host, "mail.example.org", null), t);
        Assert.Equal(25, o.Probe.DefaultPort);
        Assert.Equal(TargetMode.Host, o.Probe.Mode);
        Assert.Equal(OutputFormat.Text, o.Output.Format);
    }

    [Fact]
    public void Mx_Domain()
    {
        var o = CliTestHelper.Ok("-mx", "example.org");
        Assert.Equal(TargetMode.Mx, o.Probe.Mode);
        Assert.Equal(new Target("example.org", TargetMode.Mx, "example.org", null), Assert.Single(o.Targets));
    }

    [Fact]
    public void Nagios_ExpectOcsp_Mx()
    {
        var o = CliTestHelper.Ok("-nagios", "-expect-ocsp", "-mx", "example.org");
        Assert.True(o.NagiosExitCodes);
        Assert.Equal(OutputFormat.Nagios, o.Output.Format);
        Assert.True(o.Output.Terse);
        Assert.False(o.Output.Color);
        Assert.True(o.Probe.ExpectOcsp);
        Assert.True(o.Output.ExpectOcsp);
        Assert.Equal(TargetMode.Mx, o.Probe.Mode);
    }

    [Fact]
    public void Submission_Domain()
    {
        var o = CliTestHelper.Ok("-submission", "example.org");
        Assert.Equal(TargetMode.Srv, o.Probe.Mode);
        Assert.Equal("submission", o.Probe.SrvService);
        Assert.False(o.Probe.TlsOnConnect);
        Assert.Equal(TargetMode.Srv, Assert.Single(o.Targets).Mode);
    }

    [Fact]
    public void Submissions_Domain_ImpliesTlsOnConnect()
    {
        var o = CliTestHelper.Ok("-submissions", "example.org");
        Assert.Equal("submissions", o.Probe.SrvService);
        Assert.True(o.Probe.TlsOnConnect);
    }

    [Fact]
    public void Ipv4Only_Port26()
    {
        var o = CliTestHelper.Ok("-4", "-port", "26", "mail.example.org");
        Assert.True(o.Probe.Ipv4);
        Assert.False(o.Probe.Ipv6);
        Assert.Equal(26, o.Probe.DefaultPort);
        Assert.Null(Assert.Single(o.Targets).Port);
    }

    [Fact]
    public void TlsOnConnect_Submission()
    {
        var o = CliTestHelper.Ok("-tls-on-connect", "-submission", "example.org");
        Assert.True(o.Probe.TlsOnConnect);
        Assert.Equal("submission", o.Probe.SrvService);
    }

    [Fact]
    public void Aka_AddsName()
    {
        var o = CliTestHelper.Ok("-aka", "foo.example.net", "mail.example.org");
        Assert.Equal(["foo.example.net"], o.Probe.AkaNames);
        Assert.Equal("mail.example.org", Assert.Single(o.Targets).Name);
    }

    [Fact]
    public void ShowCertInfo_Mx()
    {
        var o = CliTestHelper.Ok("-show-cert-info", "-mx", "example.org");
        Assert.True(o.Probe.ShowCertInfo);
        Assert.True(o.Output.ShowCertInfo);
    }

    [Fact]
    public void ExpirationWarning_2232h()
    {
        var o = CliTestHelper.Ok("-expiration-warning", "2232h", "-mx", "example.org");
        Assert.Equal(TimeSpan.FromHours(2232), o.Probe.ExpirationWarning);
    }

    [Fact]
    public void ExpirationWarning_ZeroDisables_OneNanosecondDoesNot()
    {
        Assert.Equal(TimeSpan.Zero, CliTestHelper.Ok("-expiration-warning", "0s", "-mx", "example.org").Probe.ExpirationWarning);
        Assert.True(CliTestHelper.Ok("-expiration-warning", "1ns", "-mx", "example.org").Probe.ExpirationWarning > TimeSpan.Zero);
    }

    [Fact]
    public void ExpectOcsp_Mx()
    {
        var o = CliTestHelper.Ok("-expect-ocsp", "-mx", "example.org");
        Assert.True(o.Probe.ExpectOcsp);
        Assert.False(o.NagiosExitCodes);
    }

    [Fact]
    public void ProxyTcp_Socks5()
    {
        var o = CliTestHelper.Ok("-proxy-tcp", "socks5://localhost:5678", "-mx", "example.org");
        Assert.NotNull(o.Probe.ProxyTcp);
        Assert.Equal("socks5", o.Probe.ProxyTcp!.Scheme);
        Assert.Equal("localhost", o.Probe.ProxyTcp.Host);
        Assert.Equal(5678, o.Probe.ProxyTcp.Port);
    }

    [Fact]
    public void Crontab_QuietExpectOcspMx()
    {
        var o = CliTestHelper.Ok("-q", "-expect-ocsp", "-mx", "example.org");
        Assert.True(o.Output.Quiet);
        Assert.True(o.Probe.ExpectOcsp);
        Assert.Equal(TargetMode.Mx, o.Probe.Mode);
    }

    [Fact]
    public void Ipv6Literal_BracketsWithPort()
    {
        var t = Assert.Single(CliTestHelper.Ok("[2001:db8::25]:1234").Targets);
        Assert.Equal("2001:db8::25", t.Name);
        Assert.Equal(1234, t.Port);
    }

    [Fact]
    public void Defaults_MatchGoTool()
    {
        var o = CliTestHelper.Ok("mail.example.org");
        Assert.Equal(TimeSpan.FromSeconds(10), o.Probe.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), o.Probe.StepTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), o.Probe.OverallTimeout);
        Assert.Equal(TimeSpan.FromHours(168), o.Probe.ExpirationWarning);
        Assert.Equal("smtpdane.invalid", o.Probe.Helo);
        Assert.True(o.Probe.Ipv4 && o.Probe.Ipv6);
        Assert.Null(o.Probe.ProxyTcp);
        Assert.Equal("resolver", o.DnssecMode);
        Assert.Null(o.TrustAnchorFile);
        Assert.False(o.Debug || o.NagiosExitCodes || o.Output.Quiet || o.Output.Terse);
    }
}
