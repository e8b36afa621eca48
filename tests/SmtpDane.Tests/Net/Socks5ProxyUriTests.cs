using SmtpDane.Net;

namespace SmtpDane.Tests.Net;

/// <summary>The -proxy-tcp value: socks5 URLs only, credentials within RFC 1929's limits.</summary>
public class Socks5ProxyUriTests
{
    [Theory]
    [InlineData("socks5://proxy.example:1081", "socks5://proxy.example:1081/")]
    [InlineData("socks5://proxy.example", "socks5://proxy.example:1080/")]
    [InlineData("SOCKS5://u:p@127.0.0.1:9050", "socks5://u:p@127.0.0.1:9050/")]
    [InlineData("socks5://[::1]:1080/", "socks5://[::1]:1080/")]
    [InlineData(" socks5://h:1 ", "socks5://h:1/")]
    public void ParseProxyUri_Valid_Normalizes(string value, string expected)
    {
        Assert.Equal(expected, Socks5Connector.ParseProxyUri(value).AbsoluteUri);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("proxy.example:1080", "scheme")]
    [InlineData("http://proxy.example:3128", "scheme \"http\" is not supported")]
    [InlineData("socks4://proxy.example", "scheme \"socks4\"")]
    [InlineData("socks5h://proxy.example", "scheme \"socks5h\"")]
    [InlineData("socks5://proxy.example:0", "port")]
    [InlineData("socks5://proxy.example:99999", "not a valid")]
    [InlineData("socks5://proxy.example/path", "path")]
    [InlineData("socks5://proxy.example?x=1", "query")]
    [InlineData("socks5://:secret@proxy.example", "user name")]
    [InlineData("not a url", "not a valid")]
    public void ParseProxyUri_Invalid_ThrowsWithReason(string value, string reason)
    {
        var ex = Assert.Throws<ArgumentException>(() => Socks5Connector.ParseProxyUri(value));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseProxyUri_OverlongUser_Throws()
    {
        Assert.Throws<ArgumentException>(() => Socks5Connector.ParseProxyUri($"socks5://{new string('u', 256)}:p@h:1080"));
    }
}
