using System.Text.RegularExpressions;
using SmtpDane.Cli;

namespace SmtpDane.Tests.Cli;

/// <summary>smtpdane(1) and the bash completion are generated from the flag table -help prints.</summary>
public partial class ManPageTests
{
    private static readonly string Page = ManPage.Build("9.8.7", "2026-12-03");

    /// <summary>Flag names as -help shows them: "  -name" at the start of a line.</summary>
    private static List<string> HelpFlags() =>
        HelpFlagLine().Matches(HelpText.Build()).Select(m => m.Groups[1].Value).ToList();

    /// <summary>Flag names as the OPTIONS section tags them: ".TP" then "\fB\-name\fR".</summary>
    private static List<string> ManFlags() =>
        ManFlagTag().Matches(Page).Select(m => m.Groups[1].Value.Replace("\\-", "-", StringComparison.Ordinal)[1..]).ToList();

    [Fact]
    public void ManPage_ListsEveryFlagHelpLists()
    {
        var help = HelpFlags();
        Assert.True(help.Count >= 30, $"only {help.Count} flags found in -help: the pattern no longer matches its layout");
        Assert.All(help, name => Assert.Contains(name, ManFlags()));
    }

    [Fact]
    public void ManPage_ListsNoFlagTheProgramLacks()
    {
        var known = HelpFlags().Append("help").Append("h").ToHashSet(StringComparer.Ordinal);
        Assert.All(ManFlags(), name => Assert.Contains(name, known));
    }

    [Fact]
    public void ManPage_ShowsValueNameUsageAndDefault()
    {
        Assert.Contains(".TP\n\\fB\\-connect\\-timeout\\fR \\fIduration\\fR\ntimeout for SMTP connection establishment (0: only \\-timeout bounds it) (default 10s).\n", Page, StringComparison.Ordinal);
        Assert.Contains(".TP\n\\fB\\-4\\fR\nonly probe IPv4 addresses.\n", Page, StringComparison.Ordinal);
        Assert.StartsWith(".TH SMTPDANE 1 \"2026\\-12\\-03\" \"smtpdane 9.8.7\" \"User Commands\"\n", Page, StringComparison.Ordinal);
    }

    [Fact]
    public void ManPage_NoLineStartsAnUnintendedRequest()
    {
        // Every line starting with "." or "'" is a roff request; ours are only these.
        var requests = new HashSet<string>(StringComparer.Ordinal) { ".TH", ".SH", ".TP", ".PP", ".B", ".BR", ".I", ".br", ".nf", ".fi" };
        foreach (var line in Page.Split('\n').Where(l => l.StartsWith('.') || l.StartsWith('\'')))
        {
            Assert.Contains(line.Split(' ')[0], requests);
        }
    }

    [Theory]
    [InlineData("a-b", "a\\-b")]
    [InlineData("C:\\x", "C:\\ex")]
    [InlineData(".hidden", "\\&.hidden")]
    [InlineData("'quoted'", "\\&'quoted'")]
    public void Escape_MinusBackslashLeadingDot(string text, string roff) =>
        Assert.Equal(roff, ManPage.Escape(text));

    [Fact]
    public void BashCompletion_OffersEveryFlagHelpLists()
    {
        var script = BashCompletion.Build();
        var offered = CompgenWords().Match(script).Groups[1].Value.Split(' ').ToHashSet(StringComparer.Ordinal);
        Assert.All(HelpFlags(), name => Assert.Contains("-" + name, offered));
        Assert.Contains("-help", offered);
        Assert.EndsWith("complete -F _smtpdane smtpdane\n", script, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^  -(\S+)", RegexOptions.Multiline)]
    private static partial Regex HelpFlagLine();

    [GeneratedRegex(@"^\.TP\n\\fB((?:\\-|[^\\])+)\\fR", RegexOptions.Multiline)]
    private static partial Regex ManFlagTag();

    [GeneratedRegex(@"compgen -W '(-[^']+)'")]
    private static partial Regex CompgenWords();
}
