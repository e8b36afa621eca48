using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using SmtpDane.Cli;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Tests.Dns;

namespace SmtpDane.Tests.Cli;

/// <summary>Resolver mode names, once per run, a resolver off loopback whose AD bit it trusted.</summary>
public class RemoteAdNoticeTests
{
    [Fact]
    public async Task AdFromLoopback_NoNotice()
    {
        await using var server = new FakeDnsServer(_ => FakeDnsServer.Reply(ReturnCode.NoError, true, FakeRr.A("mx.example", "192.0.2.25")));
        var resolver = new AdBitResolver([server.EndPoint]);

        var answer = await resolver.QueryAddressesAsync("mx.example", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsSecurity.Secure, answer.Security);
        Assert.Null(RemoteAdNotice.For(resolver));
    }

    [NonLoopbackFact]
    public async Task AdFromRemoteResolver_OneNoticeNamingIt()
    {
        await using var server = new FakeDnsServer(_ => FakeDnsServer.Reply(ReturnCode.NoError, true, FakeRr.A("mx.example", "192.0.2.25")), NonLoopbackFactAttribute.Address!);
        var resolver = new AdBitResolver([server.EndPoint]);

        await resolver.QueryAddressesAsync("mx.example", AddressFamily.InterNetwork, CancellationToken.None);
        await resolver.QueryAddressesAsync("mx.example", AddressFamily.InterNetwork, CancellationToken.None);
        var notice = RemoteAdNotice.For(resolver);

        Assert.NotNull(notice);
        Assert.Equal(FindingCodes.DnsRemoteAd, notice.Code);
        Assert.Equal(server.EndPoint.ToString(), notice.Data!["resolvers"]);
        Assert.Contains($"AD bit of {server.EndPoint}, a resolver not on loopback", notice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoAdFromRemoteResolver_NoNotice()
    {
        await using var server = new FakeDnsServer(_ => FakeDnsServer.Reply(ReturnCode.NoError, false, FakeRr.A("mx.example", "192.0.2.25")));
        var resolver = new AdBitResolver([server.EndPoint]);

        await resolver.QueryAddressesAsync("mx.example", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Null(RemoteAdNotice.For(resolver));
    }
}

/// <summary>Skips, with the reason, on a machine without a non-loopback IPv4 address to listen on.</summary>
public sealed class NonLoopbackFactAttribute : FactAttribute
{
    public NonLoopbackFactAttribute()
    {
        if (Address is null)
        {
            Skip = "this machine has no non-loopback IPv4 address to listen on";
        }
    }

    public static IPAddress? Address { get; } = NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up)
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(u => u.Address)
        .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
