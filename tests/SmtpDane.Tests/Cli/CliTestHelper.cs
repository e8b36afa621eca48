using SmtpDane.Cli;
using SmtpDane.Targets;


namespace SmtpDane.Tests.Cli;

internal static class CliTestHelper
{
    /// <summary>A small services(5) file so tests never read the machine's.</summary>
    public const string Services = """
        # comment line
        smtp		25/tcp		mail
        submission	587/tcp				# mail message submission
        submissions	465/tcp		ssmtp smtps urd
        domain		53/udp
        weird		99/udp
        lmtp		24/tcp
        """;

    public static ParseResult Parse(params string[] args) =>
        ArgumentParser.Parse(args, environment: null, stdoutIsTerminal: false, services: ServiceTable.FromText(Services));

    public static CliOptions Ok(params string[] args)
    {
        var result = Parse(args);
        Assert.True(result.Outcome == ParseOutcome.Run, $"expected Run, got {result.Outcome}: {result.Error}");
        return result.Options!;
    }

    public static string Error(params string[] args)
    {
        var result = Parse(args);
        Assert.Equal(ParseOutcome.Error, result.Outcome);
        Assert.False(string.IsNullOrEmpty(result.Error));
        return result.Error!;
    }
}
