using SmtpDane.Cli;
using SmtpDane.Model;


namespace SmtpDane.Tests.Cli;

/// <summary>Go flag package semantics.</summary>
public class FlagSyntaxTests
{
    [Theory]
    [InlineData("-port", "26")]
    [InlineData("--port", "26")]
    [InlineData("-port=26")]
    [InlineData("--port=26")]
    [InlineData("-p", "26")]
    [InlineData("-p=26")]
    public void ValueFlag_AllForms_Accepted(params string[] flag)
    {
        var o = CliTestHelper.Ok([.. flag, "mail.example.org"]);
        Assert.Equal(26, o.Probe.DefaultPort);
    }

    [Theory]
    [InlineData("-mx")]
    [InlineData("--mx")]
    [InlineData("-mx=true")]
    [InlineData("-mx=1")]
    [InlineData("-mx=t")]
    [InlineData("-mx=T")]
    [InlineData("-mx=TRUE")]
    [InlineData("-mx=True")]
    [InlineData("--mx=true")]
    public void BoolFlag_TrueForms_Set(string flag) =>
        Assert.Equal(SmtpDane.Model.TargetMode.Mx, CliTestHelper.Ok(flag, "example.org").Probe.Mode);

    [Theory]
    [InlineData("-mx=false")]
    [InlineData("-mx=0")]
    [InlineData("-mx=f")]
    [InlineData("-mx=F")]
    [InlineData("-mx=FALSE")]
    [InlineData("-mx=False")]
    public void BoolFlag_FalseForms_Clear(string flag) =>
        Assert.Equal(SmtpDane.Model.TargetMode.Host, CliTestHelper.Ok("-mx", flag, "example.org").Probe.Mode);

    [Theory]
    [InlineData("yes")]
    [InlineData("tRUE")]
    [InlineData("")]
    public void BoolFlag_BadValue_GoError(string value)
    {
        var r = CliTestHelper.Parse($"-mx={value}", "example.org");
        Assert.Equal(ParseOutcome.Error, r.Outcome);
        Assert.Equal($"invalid boolean value \"{value}\" for -mx: parse error", r.Error);
        Assert.Equal(2, r.ExitCode);
    }

    [Fact]
    public void BoolFlag_FollowingFalse_IsAHostArgument()
    {
        // Go: "-mx false" is -mx then the host "false".
        var o = CliTestHelper.Ok("-mx", "false", "example.org");
        Assert.Equal(SmtpDane.Model.TargetMode.Mx, o.Probe.Mode);
        Assert.Equal(["false", "example.org"], o.Targets.Select(t => t.Name));
    }

    [Fact]
    public void Parsing_StopsAtFirstNonFlag()
    {
        var error = CliTestHelper.Error("mail.example.org", "-4");
        Assert.Contains("invalid host \"-4\": looks like a flag", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DoubleDash_EndsFlags()
    {
        var o = CliTestHelper.Ok("-4", "--", "mail.example.org");
        Assert.False(o.Probe.Ipv6);
        Assert.Equal("mail.example.org", Assert.Single(o.Targets).Name);
    }

    [Fact]
    public void DoubleDash_ThenDashArgument_IsAHostAndRejectedClearly()
    {
        var error = CliTestHelper.Error("--", "-mx");
        Assert.Contains("invalid host \"-mx\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void LoneDash_IsAnArgument()
    {
        var error = CliTestHelper.Error("-", "-mx");
        Assert.StartsWith("invalid host \"-\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-xyz", "flag provided but not defined: -xyz")]
    [InlineData("--xyz=1", "flag provided but not defined: -xyz")]
    [InlineData("-MX", "flag provided but not defined: -MX")]
    [InlineData("---mx", "bad flag syntax: ---mx")]
    [InlineData("-=mx", "bad flag syntax: -=mx")]
    public void UnknownOrBadFlag_GoError(string flag, string expected)
    {
        var r = CliTestHelper.Parse(flag, "example.org");
        Assert.Equal(ParseOutcome.Error, r.Outcome);
        Assert.Equal(expected, r.Error);
        Assert.True(r.ShowUsage);
        Assert.Equal(2, r.ExitCode);
    }

    [Fact]
    public void MissingValue_GoError() =>
        Assert.Equal("flag needs an argument: -port", CliTestHelper.Error("-port"));

    [Fact]
    public void ValueFlag_TakesNextArgumentEvenIfDash()
    {
        // Go: "-helo -mx" sets helo to "-mx"; our helo check then rejects it.
        var error = CliTestHelper.Error("-helo", "-mx", "example.org");
        Assert.Contains("invalid -helo \"-mx\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyValueAfterEquals_IsAValue()
    {
        // The empty value is taken (the host stays a host); an empty -proxy-tcp is then refused.
        var error = CliTestHelper.Error("-proxy-tcp=", "mail.example.org");
        Assert.Contains("-proxy-tcp needs a URL", error, StringComparison.Ordinal);
        Assert.DoesNotContain("no hosts given", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-help")]
    [InlineData("-h")]
    [InlineData("--help")]
    [InlineData("--h")]
    [InlineData("-help=false")]
    public void Help_Requested(string flag)
    {
        var r = CliTestHelper.Parse("-mx", flag, "example.org");
        Assert.Equal(ParseOutcome.Help, r.Outcome);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void Help_AfterUnknownFlag_IsTheUnknownFlagError() =>
        Assert.Equal("flag provided but not defined: -nope", CliTestHelper.Error("-nope", "-help"));

    [Fact]
    public void Version_NeedsNoHosts_AndBeatsConflicts()
    {
        var r = CliTestHelper.Parse("-version", "-mx", "-submission");
        Assert.Equal(ParseOutcome.Version, r.Outcome);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void Version_WithNagios_ExitsUnknown()
    {
        var r = CliTestHelper.Parse("-nagios", "-version");
        Assert.Equal(ParseOutcome.Version, r.Outcome);
        Assert.Equal(3, r.ExitCode);
    }

    [Fact]
    public void LastValueWins_AcrossAliases()
    {
        Assert.Equal(27, CliTestHelper.Ok("-port", "26", "-p", "27", "h.example").Probe.DefaultPort);
        Assert.Equal(26, CliTestHelper.Ok("-p", "27", "-port", "26", "h.example").Probe.DefaultPort);
        Assert.False(CliTestHelper.Ok("-q", "-quiet=false", "h.example").Output.Quiet);
    }

    [Fact]
    public void Aka_Repeatable_NormalisedInOrder()
    {
        var o = CliTestHelper.Ok("-aka", "B.Example.NET.", "--aka=a.example.net", "mail.example.org");
        Assert.Equal(["b.example.net", "a.example.net"], o.Probe.AkaNames);
    }

    [Fact]
    public void NoHosts_ErrorWithUsage()
    {
        var r = CliTestHelper.Parse("-mx");
        Assert.Equal(ParseOutcome.Error, r.Outcome);
        Assert.Equal("no domains given: name at least one domain after the flags", r.Error);
        Assert.True(r.ShowUsage);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("no hosts given: name at least one host after the flags", CliTestHelper.Error());
    }

    [Fact]
    public void Nagios_ErrorsExitUnknown()
    {
        var r = CliTestHelper.Parse("-nagios", "-4", "-6", "h.example");
        Assert.Equal("-4 and -6 conflict", r.Error);
        Assert.True(r.Nagios);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal(3, CliTestHelper.Parse("-nagios", "-bogus").ExitCode);
    }
}
