using SmtpDane.Dane;

namespace SmtpDane.Tests.Dane;

public class NameMatcherTests
{
    [Theory]
    [InlineData("mx.example.org", "mx.example.org", true)]
    [InlineData("MX.Example.ORG", "mx.example.org", true)]
    [InlineData("mx.example.org.", "mx.example.org", true)]
    [InlineData("mx.example.org", "MX.EXAMPLE.ORG.", true)]
    [InlineData("mx.example.org", "mx2.example.org", false)]
    [InlineData("mx.example.org", "*.example.org", true)]
    [InlineData("MX.EXAMPLE.ORG", "*.Example.Org", true)]
    [InlineData("a.b.example.org", "*.example.org", false)]
    [InlineData("example.org", "*.example.org", false)]
    [InlineData("mx.example.org", "m*.example.org", false)]
    [InlineData("mx.example.org", "*x.example.org", false)]
    [InlineData("mx.example.org", "mx.*.org", false)]
    [InlineData("mx.example.org", "*.*.org", false)]
    [InlineData("example.org", "*.org", false)]
    [InlineData("mx.example.org", "*", false)]
    [InlineData("*.example.org", "*.example.org", false)]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example", true)]
    [InlineData("xn--bcher-kva.example", "bücher.example", false)]
    [InlineData("", "", false)]
    [InlineData("mx.example.org", "", false)]
    public void Matches_Rfc6125Rules(string reference, string presented, bool expected)
    {
        Assert.Equal(expected, NameMatcher.Matches(reference, presented));
    }

    [Fact]
    public void PresentedNames_WithDnsSans_IgnoresCommonName()
    {
        var names = NameMatcher.PresentedNames(["a.example.org"], "mx.example.org");

        Assert.Equal(["a.example.org"], names);
        Assert.False(NameMatcher.TryMatch(["mx.example.org"], names, out _, out _));
    }

    [Fact]
    public void PresentedNames_WithoutDnsSans_FallsBackToCommonName()
    {
        var names = NameMatcher.PresentedNames([], "mx.example.org");

        Assert.True(NameMatcher.TryMatch(["other.example", "mx.example.org"], names, out var reference, out var presented));
        Assert.Equal("mx.example.org", reference);
        Assert.Equal("mx.example.org", presented);
        Assert.Empty(NameMatcher.PresentedNames([], null));
    }

    [Fact]
    public void TryMatch_FirstReferenceNameWins()
    {
        Assert.True(NameMatcher.TryMatch(["example.org", "mx.example.org"], ["*.example.org", "example.org"], out var reference, out var presented));
        Assert.Equal("example.org", reference);
        Assert.Equal("example.org", presented);
    }
}
