using SmtpDane.Model;
using SmtpDane.MtaSts;

namespace SmtpDane.Tests.MtaSts;

public class StsPolicyParserTests
{
    [Fact]
    public void Parse_CrlfPolicyWithUnknownKey_ReturnsPolicy()
    {
        var r = StsPolicyParser.Parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.Example.NET.\r\nx-ext: 1\r\nmax_age: 604800\r\n");

        Assert.Null(r.Error);
        Assert.Equal(new StsPolicy(StsMode.Enforce, 604800, r.Policy!.MxPatterns), r.Policy);
        Assert.Equal(["mail.example.com", "*.example.net"], r.Policy.MxPatterns);
    }

    [Fact]
    public void Parse_LfOnlyModeNoneWithoutMx_IsValid()
    {
        var r = StsPolicyParser.Parse("version: STSv1\nmode: none\nmax_age: 86400");

        Assert.Equal(StsMode.None, r.Policy!.Mode);
        Assert.Empty(r.Policy.MxPatterns);
    }

    [Theory]
    [InlineData("version: STSv1\nmode: enforcing\nmx: a.example\nmax_age: 1", "mode \"enforcing\"")]
    [InlineData("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1", "version")]
    [InlineData("mode: enforce\nmx: a.example\nmax_age: 1", "no \"version\"")]
    [InlineData("version: STSv1\nmode: enforce\nmax_age: 1", "at least one \"mx\"")]
    [InlineData("version: STSv1\nmode: testing\nmx: a.example", "no \"max_age\"")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 12345678901", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a*.example\nmax_age: 1", "mx pattern")]
    [InlineData("version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 1", "mx pattern")]
    [InlineData("version: STSv1\nmode: enforce\nmode: testing\nmx: a.example\nmax_age: 1", "more than once")]
    [InlineData("version: STSv1\nmode enforce\nmx: a.example\nmax_age: 1", "line 2")]
    public void Parse_Malformed_SaysWhy(string text, string why)
    {
        var r = StsPolicyParser.Parse(text);

        Assert.Null(r.Policy);
        Assert.Contains(why, r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MaxAgeAtLimit_IsValid() =>
        Assert.Equal(StsPolicy.MaxMaxAge, StsPolicyParser.Parse("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 31557600").Policy!.MaxAgeSeconds);
}
