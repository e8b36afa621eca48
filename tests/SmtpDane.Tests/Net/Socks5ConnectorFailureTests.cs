using SmtpDane.Net;
using static SmtpDane.Tests.Net.Socks5ConnectorTests;

namespace SmtpDane.Tests.Net;

/// <summary>Proxies that refuse, fail or break the protocol: each a <see cref="ConnectException"/> that says whose failure it is.</summary>
public class Socks5ConnectorFailureTests
{
    [Fact]
    public async Task ConnectAsync_WrongPassword_ThrowsViaProxy()
    {
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            await s.ReadExactlyAsync(new byte[4], ct);
            await s.WriteAsync(new byte[] { 5, 2 }, ct);
            await s.ReadExactlyAsync(new byte[1 + 1 + 1 + 1 + 1], ct);
            await s.WriteAsync(new byte[] { 1, 1 }, ct);
        });

        var ex = await Assert.ThrowsAsync<ConnectException>(() => Connector(proxy, "a:b").ConnectAsync(Target, 25, CancellationToken.None));

        Assert.True(ex.ViaProxy);
        Assert.Equal($"SOCKS5 proxy 127.0.0.1:{proxy.Port} rejected our user name and password (status 0x01) for 192.0.2.25 port 25", ex.Message);
        Assert.DoesNotContain(":b", ex.Message.Replace($":{proxy.Port}", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_AuthRequiredButNoCredentials_Throws()
    {
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            await s.ReadExactlyAsync(new byte[3], ct);
            await s.WriteAsync(new byte[] { 5, 0xFF }, ct);
        });

        var ex = await Assert.ThrowsAsync<ConnectException>(() => Connector(proxy).ConnectAsync(Target, 25, CancellationToken.None));

        Assert.True(ex.ViaProxy);
        Assert.Contains("requires authentication", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_TargetRefused_Rep5_NamesTargetAndProxy()
    {
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            await AcceptNoAuthAsync(s, ct);
            await ReadConnectAsync(s, ct);
            await s.WriteAsync(new byte[] { 5, 5, 0, 1, 0, 0, 0, 0, 0, 0 }, ct);
        });

        var ex = await Assert.ThrowsAsync<ConnectException>(() => Connector(proxy).ConnectAsync(Target, 25, CancellationToken.None));

        Assert.Equal($"connection refused by 192.0.2.25 port 25 (reported by SOCKS5 proxy 127.0.0.1:{proxy.Port})", ex.Message);
        Assert.False(ex.ViaProxy); // The target's failure, seen through the proxy.
    }

    [Theory]
    [InlineData(1, "general SOCKS server failure")]
    [InlineData(2, "connection not allowed by ruleset")]
    [InlineData(7, "command not supported")]
    [InlineData(0x42, "unknown error code 0x42")]
    public async Task ConnectAsync_ProxyFailureRep_ThrowsViaProxy(byte rep, string sentence)
    {
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            await AcceptNoAuthAsync(s, ct);
            await ReadConnectAsync(s, ct);
            await s.WriteAsync(new byte[] { 5, rep, 0, 1, 0, 0, 0, 0, 0, 0 }, ct);
        });

        var ex = await Assert.ThrowsAsync<ConnectException>(() => Connector(proxy).ConnectAsync(Target, 25, CancellationToken.None));

        Assert.True(ex.ViaProxy);
        Assert.Equal($"SOCKS5 proxy 127.0.0.1:{proxy.Port} could not connect to 192.0.2.25 port 25: {sentence}", ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_ProxyCloses_ThrowsViaProxy()
    {
        await using var proxy = new LoopbackServer((_, _) => Task.CompletedTask);

        var ex = await Assert.ThrowsAsync<ConnectException>(() => Connector(proxy).ConnectAsync(Target, 25, CancellationToken.None));

        Assert.True(ex.ViaProxy);
        Assert.Equal($"SOCKS5 proxy 127.0.0.1:{proxy.Port} closed the connection while negotiating 192.0.2.25 port 25", ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_ProxyClosesMidReply_ThrowsViaProxy()
    {
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            await AcceptNoAuthAsync(s, ct);
            await ReadConnectAsync(s, ct);
            await s.WriteAsync(new byte[] { 5, 0, 0, 1, 127 }, ct);
        });

        var ex = await Assert.ThrowsAsync<ConnectException>(() => Connector(proxy).ConnectAsync(Target, 25, CancellationToken.None));

        Assert.True(ex.ViaProxy);
        Assert.Contains("closed the connection", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_Garbage_ThrowsViaProxy()
    {
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            await s.ReadExactlyAsync(new byte[3], ct);
            await s.WriteAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray(), ct);
        });

        var ex = await Assert.ThrowsAsync<ConnectException>(() => Connector(proxy).ConnectAsync(Target, 25, CancellationToken.None));

        Assert.True(ex.ViaProxy);
        Assert.Equal($"SOCKS5 proxy 127.0.0.1:{proxy.Port} sent an invalid reply (version 0x48, not SOCKS5) for 192.0.2.25 port 25", ex.Message);
    }

    [Theory]
    [InlineData(new byte[] { 5, 0, 0, 2 }, "unknown address type 0x02")]
    [InlineData(new byte[] { 5, 0, 0, 3, 0 }, "empty bound address")]
    [InlineData(new byte[] { 5, 7 }, "chose authentication method 0x07")]
    public async Task ConnectAsync_MalformedReply_ThrowsViaProxy(byte[] reply, string expected)
    {
        var afterGreeting = reply.Length > 2;
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            if (afterGreeting)
            {
                await AcceptNoAuthAsync(s, ct);
                await ReadConnectAsync(s, ct);
            }
            else
            {
                await s.ReadExactlyAsync(new byte[3], ct);
            }

            await s.WriteAsync(reply, ct);
            await Task.Delay(System.Threading.Timeout.Infinite, ct); // Hold the connection: the client must stop on its own.
        });

        var ex = await Assert.ThrowsAsync<ConnectException>(() => Connector(proxy).ConnectAsync(Target, 25, CancellationToken.None));

        Assert.True(ex.ViaProxy);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_ProxyDown_ThrowsViaProxy()
    {
        var port = LoopbackServer.FreePort();
        var connector = new Socks5Connector(new Uri($"socks5://127.0.0.1:{port}"), Socks5ConnectorTests.Timeout);

        var ex = await Assert.ThrowsAsync<ConnectException>(() => connector.ConnectAsync(Target, 25, CancellationToken.None));

        Assert.True(ex.ViaProxy);
        Assert.Equal($"cannot reach SOCKS5 proxy 127.0.0.1:{port} to connect to 192.0.2.25 port 25: connection refused by 127.0.0.1 port {port}", ex.Message);
    }
}
