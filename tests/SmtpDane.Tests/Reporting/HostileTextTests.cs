using SmtpDane.Reporting;

namespace SmtpDane.Tests.Reporting;

public class HostileTextTests
{
    [Theory]
    [InlineData("\u001b[31mred\u001b[0m", "\\x1b[31mred\\x1b[0m")]
    [InlineData("a\r\nb\tc", "a\\r\\nb\\tc")]
    [InlineData("nul\0bel\u0007del\u007f", "nul\\x00bel\\x07del\\x7f")]
    [InlineData("csi\u009b2J", "csi\\u{9b}2J")]
    [InlineData("abc\u202egnp.exe", "abc\\u{202e}gnp.exe")]
    [InlineData("iso\u2066late\u2069 zw\u200bsp", "iso\\u{2066}late\\u{2069} zw\\u{200b}sp")]
    [InlineData("line\u2028para\u2029", "line\\u{2028}para\\u{2029}")]
    [InlineData("tag\U000E0041", "tag\\u{e0041}")]
    public void ForTerminal_Hostile_Escaped(string input, string expected)
    {
        Assert.Equal(expected, HostileText.ForTerminal(input));
    }

    [Fact]
    public void ForTerminal_LoneSurrogates_Escaped()
    {
        // Not theory data: xunit mangles lone surrogates when it serialises test cases.
        Assert.Equal("lone\\u{d800}high \\u{dc00}low", HostileText.ForTerminal("lone\ud800high \udc00low"));
    }

    [Theory]
    [InlineData("mx1.example.org")]
    [InlineData("Grüße 😀 日本")]
    [InlineData("back\\slash \"quoted\" a|b")]
    public void ForTerminal_Printable_Unchanged(string input)
    {
        Assert.Equal(input, HostileText.ForTerminal(input));
    }

    [Fact]
    public void ForTerminal_Null_Empty()
    {
        Assert.Equal("", HostileText.ForTerminal(null));
    }

    [Fact]
    public void ForTerminal_Long_CappedWithEllipsis()
    {
        var result = HostileText.ForTerminal(new string('a', 500), 20);

        Assert.Equal(20, result.Length);
        Assert.EndsWith("…", result, StringComparison.Ordinal);
    }

    [Fact]
    public void ForTerminal_ExactlyAtCap_NotCut()
    {
        Assert.Equal("abcde", HostileText.ForTerminal("abcde", 5));
        Assert.Equal("abcd…", HostileText.ForTerminal("abcdef", 5));
    }

    [Fact]
    public void ForTerminal_CapDoesNotSplitEscapeOrSurrogatePair()
    {
        Assert.Equal("ab…", HostileText.ForTerminal("ab\u001bcdef", 6));
        Assert.Equal("a…", HostileText.ForTerminal("a😀😀", 3));
    }

    [Fact]
    public void ForTerminal_ZeroMax_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HostileText.ForTerminal("x", 0));
    }

    [Fact]
    public void ForNagios_PipeAndNewlines_Escaped()
    {
        var result = HostileText.ForNagios("OK|evil=1\nDANE OK\u001b[0m");

        Assert.Equal("OK\\x7cevil=1\\nDANE OK\\x1b[0m", result);
        Assert.DoesNotContain('|', result);
        Assert.DoesNotContain('\n', result);
    }

    [Fact]
    public void Quote_LikeGoPercentQ()
    {
        Assert.Equal("\"a\\\"b\\\\c\\x1b\"", HostileText.Quote("a\"b\\c\u001b"));
    }

    [Fact]
    public void Quote_ThenForTerminal_NotEscapedTwice()
    {
        var quoted = HostileText.Quote("evil\u001b[31m\u202e");

        Assert.Equal(quoted, HostileText.ForTerminal(quoted));
    }

    [Fact]
    public void Quote_Long_CappedInsideQuotes()
    {
        var result = HostileText.Quote(new string('x', 100), 12);

        Assert.Equal("\"xxxxxxxxx…\"", result);
    }

    [Fact]
    public void ForJson_LoneSurrogates_Replaced()
    {
        Assert.Equal("a\uFFFDb\uFFFD😀", HostileText.ForJson("a\ud800b\udc00😀"));
        Assert.Equal("\u001b raw", HostileText.ForJson("\u001b raw"));
    }
}
