using System.Net;
using SmtpDane.Dns;

namespace SmtpDane.Tests.Dns;

public class ResolverEndpointsTests
{
    [Fact]
    public void Parse_AllForms_Endpoints()
    {
        var endpoints = ResolverEndpoints.Parse("127.0.0.1, 192.0.2.1:5353 ::1 [2001:db8::53]:54,[2001:db8::1]");

        Assert.Equal(
            [
                new IPEndPoint(IPAddress.Loopback, 53),
                new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5353),
                new IPEndPoint(IPAddress.IPv6Loopback, 53),
                new IPEndPoint(IPAddress.Parse("2001:db8::53"), 54),
                new IPEndPoint(IPAddress.Parse("2001:db8::1"), 53),
            ],
            endpoints);
    }

    [Theory]
    [InlineData("resolver.example")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:x")]
    [InlineData("[::1")]
    [InlineData("[::1]53")]
    [InlineData(" , ")]
    public void Parse_BadEntry_ThrowsWithMessage(string list)
    {
        var e = Assert.Throws<ResolverConfigException>(() => ResolverEndpoints.Parse(list));

        Assert.Contains("DNS_RESOLVER", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Duplicates_Removed()
    {
        Assert.Single(ResolverEndpoints.Parse("127.0.0.1 127.0.0.1:53"));
    }

    [Fact]
    public void ParseResolvConf_NameserverLines_InOrder()
    {
        const string text = "# generated\nsearch example.org\nnameserver 127.0.0.53\n  nameserver\t::1 ; local\noptions edns0\n;nameserver 192.0.2.9\n";

        var endpoints = ResolverEndpoints.ParseResolvConf(text);

        Assert.Equal([new IPEndPoint(IPAddress.Parse("127.0.0.53"), 53), new IPEndPoint(IPAddress.IPv6Loopback, 53)], endpoints);
    }

    [Fact]
    public void ParseResolvConf_NoNameserver_Throws()
    {
        var e = Assert.Throws<ResolverConfigException>(() => ResolverEndpoints.ParseResolvConf("search example.org\n", "/x/resolv.conf"));

        Assert.Contains("/x/resolv.conf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_VariableWinsOverFile()
    {
        var endpoints = ResolverEndpoints.Load("192.0.2.1", "/nonexistent/resolv.conf");

        Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.1"), 53)], endpoints);
    }

    [Fact]
    public void Load_FileWhenVariableUnset()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "nameserver 192.0.2.2\n");

            Assert.Equal([new IPEndPoint(IPAddress.Parse("192.0.2.2"), 53)], ResolverEndpoints.Load(" ", path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_Throws()
    {
        var e = Assert.Throws<ResolverConfigException>(() => ResolverEndpoints.Load(null, "/nonexistent/resolv.conf"));

        Assert.Contains("DNS_RESOLVER", e.Message, StringComparison.Ordinal);
    }
}
