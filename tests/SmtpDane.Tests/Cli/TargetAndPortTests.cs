using SmtpDane.Cli;
using SmtpDane.Model;
using SmtpDane.Targets;


namespace SmtpDane.Tests.Cli;

public class TargetAndPortTests
{
    [Theory]
    [InlineData("mail.example.org", "mail.example.org", null)]
    [InlineData("Mail.Example.ORG.", "mail.example.org", null)]
    [InlineData("mail.example.org:587", "mail.example.org", 587)]
    [InlineData("mail.example.org:submission", "mail.example.org", 587)]
    [InlineData("mail.example.org:smtps", "mail.example.org", 465)]
    [InlineData("mail.example.org:lmtp(2424)", "mail.example.org", 24)]
    [InlineData("mail.example.org:nosuch(2525)", "mail.example.org", 2525)]
    [InlineData("192.0.2.25", "192.0.2.25", null)]
    [InlineData("192.0.2.25:26", "192.0.2.25", 26)]
    [InlineData("2001:db8::25", "2001:db8::25", null)]
    [InlineData("2001:DB8:0:0::25", "2001:db8::25", null)]
    [InlineData("[2001:db8::25]", "2001:db8::25", null)]
    [InlineData("[2001:db8::25]:465", "2001:db8::25", 465)]
    [InlineData("::1", "::1", null)]
    [InlineData("_smtp.example.org", "_smtp.example.org", null)]
    [InlineData("localhost", "localhost", null)]
    public void Host_Specs_Parsed(string argument, string name, int? port)
    {
        var t = Assert.Single(CliTestHelper.Ok(argument).Targets);
        Assert.Equal(new Target(argument, TargetMode.Host, name, port), t);
    }

    [Fact]
    public void Mx_DomainPort_Overrides()
    {
        var t = Assert.Single(CliTestHelper.Ok("-mx", "example.org:2525").Targets);
        Assert.Equal(new Target("example.org:2525", TargetMode.Mx, "example.org", 2525), t);
    }

    [Fact]
    public void Srv_DomainPort_Overrides()
    {
        var t = Assert.Single(CliTestHelper.Ok("-submission", "example.org:smtps").Targets);
        Assert.Equal(new Target("example.org:smtps", TargetMode.Srv, "example.org", 465), t);
    }

    [Fact]
    public void ManyTargets_KeepOrder() =>
        Assert.Equal(["b.example", "a.example", "192.0.2.1"], CliTestHelper.Ok("b.example", "a.example:26", "192.0.2.1").Targets.Select(t => t.Name));

    [Theory]
    [InlineData("-mx", "192.0.2.1", "invalid domain \"192.0.2.1\": -mx needs a domain name, not an IP address")]
    [InlineData("-mx", "[2001:db8::1]:25", "invalid domain \"[2001:db8::1]:25\": -mx needs a domain name, not an IP address")]
    [InlineData("-submission", "2001:db8::1", "invalid domain \"2001:db8::1\": -srv/-submission/-submissions needs a domain name, not an IP address")]
    public void IpLiteral_WithLookupMode_Rejected(string flag, string argument, string expected) =>
        Assert.Equal(expected, CliTestHelper.Error(flag, argument));

    [Theory]
    [InlineData("exa mple.org", "invalid host \"exa mple.org\": contains a space or control character")]
    [InlineData("a..example.org", "invalid host \"a..example.org\": empty label (two dots in a row, or a leading dot)")]
    [InlineData(".example.org", "invalid host \".example.org\": empty label (two dots in a row, or a leading dot)")]
    [InlineData(".", "invalid host \".\": empty name")]
    [InlineData("bad-.example", "invalid host \"bad-.example\": label \"bad-\" starts or ends with a hyphen")]
    [InlineData("mail.example.org:", "invalid host \"mail.example.org:\": missing port after ':'")]
    [InlineData(":25", "invalid host \":25\": missing host before the port")]
    [InlineData("[2001:db8::1", "invalid host \"[2001:db8::1\": missing ']'")]
    [InlineData("[2001:db8::1]x", "invalid host \"[2001:db8::1]x\": expected ':port' after ']'")]
    [InlineData("[mail.example.org]:25", "invalid host \"[mail.example.org]:25\": square brackets must hold an IPv6 address")]
    [InlineData("2001:db8::zz", "invalid host \"2001:db8::zz\": not a valid IPv6 address (use [address]:port to give a port)")]
    [InlineData("192.0.2.256", "invalid host \"192.0.2.256\": not a valid IPv4 address, and a host name's last label cannot be all digits")]
    [InlineData("127.1", "invalid host \"127.1\": not a valid IPv4 address, and a host name's last label cannot be all digits")]
    [InlineData("192.0.2.010", "invalid host \"192.0.2.010\": not a valid IPv4 address, and a host name's last label cannot be all digits")]
    [InlineData("bücher.example", "invalid host \"b\\xc3\\xbccher.example\": non-ASCII names must be given in A-label (xn--) form")]
    [InlineData("a/b.example", "invalid host \"a/b.example\": contains '/', not allowed in a host name")]
    public void Host_Bad_ClearError(string argument, string expected) =>
        Assert.Equal(expected, CliTestHelper.Error(argument));

    [Fact]
    public void Host_AfterFirstHost_LooksLikeFlag_ClearError() =>
        Assert.Equal(
            "invalid host \"-bad.example\": looks like a flag; flags must come before the first host argument",
            CliTestHelper.Error("h.example", "-bad.example"));

    [Fact]
    public void Host_TooLong_Rejected()
    {
        var label = new string('a', 63);
        var name = string.Join('.', label, label, label, label); // 255 chars
        Assert.Contains("more than 253", CliTestHelper.Error(name), StringComparison.Ordinal);
        Assert.Contains("more than 63", CliTestHelper.Error(new string('b', 64) + ".example"), StringComparison.Ordinal);
        Assert.Equal(name[..253].TrimEnd('.'), Assert.Single(CliTestHelper.Ok(name[..253].TrimEnd('.')).Targets).Name);
    }

    [Theory]
    [InlineData("26", 26)]
    [InlineData("65535", 65535)]
    [InlineData("1", 1)]
    [InlineData("smtp", 25)]
    [InlineData("SMTP", 25)]
    [InlineData("mail", 25)]
    [InlineData("smtp(25)", 25)]
    [InlineData("submission(587)", 587)]
    [InlineData("nosuch(2525)", 2525)]
    [InlineData("https", 443)]
    [InlineData("0x1d", 29)]
    [InlineData("0o31", 25)]
    [InlineData("031", 25)]
    [InlineData("0b11001", 25)]
    [InlineData("2_525", 2525)]
    public void Port_Forms_Accepted(string spec, int expected) =>
        Assert.Equal(expected, CliTestHelper.Ok("-port", spec, "h.example").Probe.DefaultPort);

    [Theory]
    [InlineData("0", "port number \"0\" is out of range 1-65535")]
    [InlineData("65536", "invalid port number \"65536\": must be 1-65535")]
    [InlineData("99999999999", "invalid port number \"99999999999\": must be 1-65535")]
    [InlineData("-1", "unable to parse port \"-1\": expected a number, a service name or name(number)")]
    [InlineData("nosuch", "unknown TCP service \"nosuch\" (not in the services file); give a number or name(number)")]
    [InlineData("weird", "unknown TCP service \"weird\" (not in the services file); give a number or name(number)")]
    [InlineData("nosuch(0)", "port number \"nosuch(0)\" is out of range 1-65535")]
    [InlineData("nosuch(70000)", "unknown TCP service \"nosuch\" and port number 70000 is out of range 1-65535")]
    [InlineData("smtp()", "unable to parse port \"smtp()\": expected a number, a service name or name(number)")]
    [InlineData("sm tp", "unable to parse port \"sm tp\": expected a number, a service name or name(number)")]
    [InlineData("2__5", "unable to parse port \"2__5\": expected a number, a service name or name(number)")]
    public void Port_Bad_ClearError(string spec, string reason) =>
        Assert.Equal($"can't parse -port {GoDuration.Quote(spec)}: {reason}", CliTestHelper.Error("-port", spec, "h.example"));

    [Fact]
    public void Port_InHostArgument_BadError() =>
        Assert.Equal(
            "invalid port in \"h.example:nosuch\": unknown TCP service \"nosuch\" (not in the services file); give a number or name(number)",
            CliTestHelper.Error("h.example:nosuch"));

    [Fact]
    public void ServiceTable_BuiltIns_WithoutFile()
    {
        var table = ServiceTable.FromFile("/nonexistent/services");
        Assert.True(table.TryGetTcpPort("smtp", out var smtp));
        Assert.Equal(25, smtp);
        Assert.True(table.TryGetTcpPort("submissions", out var submissions));
        Assert.Equal(465, submissions);
        Assert.False(table.TryGetTcpPort("submission", out _));
    }

    [Fact]
    public void ServiceTable_FileOverridesBuiltIns()
    {
        var table = ServiceTable.FromText("smtp 2525/tcp\nsmtp 26/udp\n");
        Assert.True(table.TryGetTcpPort("smtp", out var port));
        Assert.Equal(2525, port);
    }

    [Fact]
    public void ServiceTable_ReadsFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# services\nsieve\t4190/tcp\n");
            var r = ArgumentParser.Parse(["-port", "sieve", "h.example"], services: ServiceTable.FromFile(path));
            Assert.Equal(4190, r.Options!.Probe.DefaultPort);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DefaultServices_NumericPortNeedsNoFile() =>
        Assert.Equal(26, ArgumentParser.Parse(["-port", "26", "h.example"]).Options!.Probe.DefaultPort);
}
