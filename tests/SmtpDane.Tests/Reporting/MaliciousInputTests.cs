using System.Globalization;
using System.Text;
using System.Text.Json;
using SmtpDane.Reporting;

namespace SmtpDane.Tests.Reporting;

/// <summary>A hostile banner, host name, certificate CN/SANs and finding data, through every mode.</summary>
public class MaliciousInputTests
{
    public static TheoryData<string> TextModes() => ["text", "color", "terse", "quiet", "certinfo", "nagios"];

    [Theory]
    [MemberData(nameof(TextModes))]
    public void Render_TextModes_NoRawControlCharacters(string mode)
    {
        var options = mode switch
        {
            "color" => new OutputOptions { Color = true, ShowCertInfo = true },
            "terse" => new OutputOptions { Terse = true },
            "quiet" => new OutputOptions { Quiet = true },
            "certinfo" => new OutputOptions { ShowCertInfo = true, ShowCerts = true, Debug = true },
            "nagios" => new OutputOptions { Format = OutputFormat.Nagios },
            _ => new OutputOptions(),
        };
        var output = new StringWriter();

        ReportWriter.Render(ReportFixtures.Malicious(), options, output);

        // Our own colour codes are the only escape sequences allowed.
        var text = output.ToString()
            .Replace(Ansi.Red, "", StringComparison.Ordinal)
            .Replace(Ansi.Green, "", StringComparison.Ordinal)
            .Replace(Ansi.Yellow, "", StringComparison.Ordinal)
            .Replace(Ansi.Reset, "", StringComparison.Ordinal);
        Assert.NotEmpty(text);
        AssertTerminalSafe(text);
        Assert.Contains("\\x1b[31m", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Nagios_OnlyThePerfdataPipe()
    {
        var output = new StringWriter();

        ReportWriter.Render(ReportFixtures.Malicious(), new OutputOptions { Format = OutputFormat.Nagios }, output);

        var lines = output.ToString().TrimEnd('\n').Split('\n');
        Assert.StartsWith("DANE CRITICAL - ", lines[0], StringComparison.Ordinal);
        Assert.Equal(1, lines[0].Count(c => c == '|'));
        Assert.All(lines.Skip(1), l => Assert.DoesNotContain('|', l));
    }

    [Fact]
    public void Render_CertInfo_ShowsEscapedCnAndParseFailure()
    {
        var output = new StringWriter();

        ReportWriter.Render(ReportFixtures.Malicious(), new OutputOptions { ShowCertInfo = true, ShowCerts = true }, output);

        var text = output.ToString();
        Assert.Contains("certificate [0] CN=\"cn\\x1b[31m|evil\\u{202e}\"", text, StringComparison.Ordinal);
        Assert.Contains("DNS SANs: \"ok.example\", \"bad\\x1b[0m|name\"", text, StringComparison.Ordinal);
        Assert.Contains("certificate [1]: cannot parse: ", text, StringComparison.Ordinal);
        Assert.Contains("# [1] CN=(unparseable)", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OutputFormat.Json)]
    [InlineData(OutputFormat.JsonLines)]
    public void Render_Json_ValidAndRoundTrips(OutputFormat format)
    {
        var json = JsonRendererTests.Render(ReportFixtures.Malicious(), format);

        AssertTerminalSafe(json);
        _ = Encoding.UTF8.GetString(new UTF8Encoding(false, true).GetBytes(json)); // strict: throws on lone surrogates
        var first = json.Split('\n')[0];
        using var doc = JsonDocument.Parse(format == OutputFormat.Json ? json : first);
        var root = doc.RootElement;
        var host = (format == OutputFormat.Json ? root.GetProperty("targets")[0] : root).GetProperty("hosts")[0];
        Assert.Equal("evil\u001b[0m|.example", host.GetProperty("name").GetString());
        var address = host.GetProperty("addresses")[0];
        var banner = address.GetProperty("findings")[0].GetProperty("data").GetProperty("banner").GetString()!;
        Assert.StartsWith("\u001b[2J", banner, StringComparison.Ordinal);
        Assert.EndsWith("\uFFFDend", banner, StringComparison.Ordinal);
        Assert.Equal("cn\u001b[31m|evil\u202e", address.GetProperty("certificates")[0].GetProperty("cn").GetString());
        Assert.True(address.GetProperty("certificates")[1].TryGetProperty("error", out _));
    }

    private static void AssertTerminalSafe(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            var dangerous = rune.Value != '\n' && (Rune.IsControl(rune) ||
                Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Surrogate
                    or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
            Assert.False(dangerous, $"raw U+{rune.Value:X4} in output");
        }

        Assert.DoesNotContain('\uFFFD', text.Replace("\\ufffd", "", StringComparison.OrdinalIgnoreCase)
            .Replace("\uFFFDend", "", StringComparison.Ordinal));
    }
}
