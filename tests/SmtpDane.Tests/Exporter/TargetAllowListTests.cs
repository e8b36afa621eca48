using System.Net;
using SmtpDane.Exporter;

namespace SmtpDane.Tests.Exporter;

public class TargetAllowListTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    public void DenyAddress_Default_RefusesSpecialPurpose(string address) =>
        Assert.NotNull(TargetAllowList.PublicOnly.DenyAddress(IPAddress.Parse(address), 25));

    [Theory]
    [InlineData("192.0.2.25")]
    [InlineData("2001:db8::25")]
    [InlineData("8.8.8.8")]
    public void DenyAddress_Default_AllowsPublic(string address) =>
        Assert.Null(TargetAllowList.PublicOnly.DenyAddress(IPAddress.Parse(address), 25));

    [Fact]
    public void DenyAddress_Networks_OnlyThose()
    {
        Assert.True(TargetAllowList.TryParse(["127.0.0.0/8", "2001:db8::/32"], out var allow, out _));
        Assert.Null(allow.DenyAddress(IPAddress.Parse("127.1.2.3"), 25));
        Assert.Null(allow.DenyAddress(IPAddress.Parse("::ffff:127.1.2.3"), 25));
        Assert.Null(allow.DenyAddress(IPAddress.Parse("2001:db8::1"), 25));
        Assert.NotNull(allow.DenyAddress(IPAddress.Parse("8.8.8.8"), 25));
        Assert.NotNull(allow.DenyAddress(IPAddress.Parse("10.0.0.1"), 25));
    }

    [Fact]
    public void DenyAddress_ExporterItself_AlwaysRefused()
    {
        Assert.True(TargetAllowList.TryParse(["127.0.0.0/8"], out var allow, out _));
        allow.WithOwn([], [new IPEndPoint(IPAddress.Loopback, 9125)]);
        Assert.Contains("this exporter itself", allow.DenyAddress(IPAddress.Loopback, 9125), StringComparison.Ordinal);
        Assert.Null(allow.DenyAddress(IPAddress.Loopback, 25));
    }

    [Fact]
    public void DenyAddress_OwnPublicAddress_RefusedByDefault()
    {
        var allow = new[] { "example.org" };
        Assert.True(TargetAllowList.TryParse(allow, out var list, out _));
        list.WithOwn([IPAddress.Parse("198.51.100.7")], []);
        Assert.Contains("address of this machine", list.DenyAddress(IPAddress.Parse("198.51.100.7"), 25), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example.org", true)]
    [InlineData("mx.example.org", true)]
    [InlineData("badexample.org", false)]
    [InlineData("example.net", false)]
    [InlineData("192.0.2.1", true)]
    public void DenyName_Suffixes(string name, bool allowed)
    {
        Assert.True(TargetAllowList.TryParse(["*.example.org"], out var list, out _));
        Assert.Equal(allowed, list.DenyName(name) is null);
    }

    [Theory]
    [InlineData("10.0.0.1/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("fe80::1%eth0")]
    [InlineData("exa mple.org")]
    [InlineData("example.org/24")]
    public void TryParse_Bad_Error(string entry)
    {
        Assert.False(TargetAllowList.TryParse([entry], out _, out var error));
        Assert.StartsWith("invalid -allow-targets", error, StringComparison.Ordinal);
    }
}
