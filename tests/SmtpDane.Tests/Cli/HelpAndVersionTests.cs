using SmtpDane.Cli;

namespace SmtpDane.Tests.Cli;

public class HelpAndVersionTests
{
    [Fact]
    public void Help_ListsEveryFlag_GoLayout()
    {
        var help = HelpText.Build();
        foreach (var flag in FlagDefinition.All)
        {
            Assert.Contains($"  -{flag.Name}", help, StringComparison.Ordinal);
        }

        Assert.Contains("  -4\tonly probe IPv4 addresses\n", help, StringComparison.Ordinal);
        Assert.Contains("  -connect-timeout duration\n    \ttimeout for SMTP connection establishment (0: only -timeout bounds it) (default 10s)\n", help, StringComparison.Ordinal);
        Assert.Contains("(default 168h0m0s)", help, StringComparison.Ordinal);
        Assert.Contains("  -port port\n    \t", help, StringComparison.Ordinal);
        Assert.Contains("(default \"smtp(25)\")", help, StringComparison.Ordinal);
        Assert.Contains("(default \"smtpdane.invalid\")", help, StringComparison.Ordinal);
        Assert.StartsWith("Usage: smtpdane [flags]", help, StringComparison.Ordinal);
    }

    [Fact]
    public void FlagTable_SortedAndUnique()
    {
        var names = FlagDefinition.All.Select(f => f.Name).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Version_NamesToolAndRuntime()
    {
        var text = VersionText.Build();
        Assert.StartsWith($"smtpdane (dotnet) {VersionText.Version}\n", text, StringComparison.Ordinal);
        Assert.Contains(".NET", text, StringComparison.Ordinal);
    }
}
