using System.Net;
using System.Net.Sockets;
using SmtpDane.Model;
using SmtpDane.Net;

namespace SmtpDane.Tests.Net;

public class Socks5ConnectorTests
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    internal static readonly IPAddress Target = IPAddress.Parse("192.0.2.25");

    internal static Socks5Connector Connector(LoopbackServer proxy, string? userInfo = null, TimeSpan? timeout = null, TimeProvider? time = null) =>
        new(new Uri($"socks5://{(userInfo is null ? "" : userInfo + "@")}127.0.0.1:{proxy.Port}"), timeout ?? Timeout, timeProvider: time);

    /// <summary>Reads the no-auth greeting and accepts it.</summary>
    internal static async Task AcceptNoAuthAsync(NetworkStream s, CancellationToken ct)
    {
        var greeting = new byte[3];
        await s.ReadExactlyAsync(greeting, ct);
        Assert.Equal(new byte[] { 5, 1, 0 }, greeting);
        await s.WriteAsync(new byte[] { 5, 0 }, ct);
    }

    /// <summary>Reads a CONNECT request with an IPv4 or IPv6 address; returns the target.</summary>
    internal static async Task<IPEndPoint> ReadConnectAsync(NetworkStream s, CancellationToken ct)
    {
        var head = new byte[4];
        await s.ReadExactlyAsync(head, ct);
        Assert.Equal(new byte[] { 5, 1, 0 }, head[..3]);
        var addr = new byte[head[3] switch { 1 => 4, 4 => 16, _ => throw new InvalidDataException("ATYP") }];
        await s.ReadExactlyAsync(addr, ct);
        var port = new byte[2];
        await s.ReadExactlyAsync(port, ct);
        return new IPEndPoint(new IPAddress(addr), (port[0] << 8) | port[1]);
    }

    internal static readonly byte[] Success = [5, 0, 0, 1, 127, 0, 0, 1, 0x04, 0x38];

    [Fact]
    public async Task ConnectAsync_NoAuth_RelaysToEchoServer()
    {
        await using var echo = new LoopbackServer((s, ct) => s.CopyToAsync(s, ct));
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            await AcceptNoAuthAsync(s, ct);
            var target = await ReadConnectAsync(s, ct);
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(target, ct);
            await s.WriteAsync(Success, ct);
            var up = upstream.GetStream();
            await Task.WhenAny(s.CopyToAsync(up, ct), up.CopyToAsync(s, ct));
        });

        await using var stream = await Connector(proxy).ConnectAsync(IPAddress.Loopback, echo.Port, CancellationToken.None);
        await stream.WriteAsync("EHLO x\r\n"u8.ToArray(), CancellationToken.None);
        var back = new byte[8];
        await stream.ReadExactlyAsync(back, CancellationToken.None);

        Assert.Equal("EHLO x\r\n"u8.ToArray(), back);
        proxy.ThrowIfFailed();
        echo.ThrowIfFailed();
    }

    [Fact]
    public async Task ConnectAsync_UserPass_SendsRfc1929AndReadsExactReply()
    {
        byte[]? auth = null;
        IPEndPoint? requested = null;
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            var greeting = new byte[4];
            await s.ReadExactlyAsync(greeting, ct);
            Assert.Equal(new byte[] { 5, 2, 0, 2 }, greeting);
            await s.WriteAsync(new byte[] { 5, 2 }, ct);
            auth = new byte[1 + 1 + 5 + 1 + 6];
            await s.ReadExactlyAsync(auth, ct);
            await s.WriteAsync(new byte[] { 1, 0 }, ct);
            requested = await ReadConnectAsync(s, ct);

            // A domain-typed BND.ADDR, then the SMTP greeting in the same segment.
            byte[] reply = [5, 0, 0, 3, 9, .. "relay.lan"u8, 0, 25, .. "220 hi\r\n"u8];
            await s.WriteAsync(reply, ct);
        });

        await using var stream = await Connector(proxy, "alice:s%3Acret").ConnectAsync(Target, 25, CancellationToken.None);
        var greeting = new byte[8];
        await stream.ReadExactlyAsync(greeting, CancellationToken.None);

        byte[] expected = [1, 5, .. "alice"u8, 6, .. "s:cret"u8];
        Assert.Equal(expected, auth);
        Assert.Equal(new IPEndPoint(Target, 25), requested);
        Assert.Equal("220 hi\r\n"u8.ToArray(), greeting);
        proxy.ThrowIfFailed();
    }

    [Fact]
    public async Task ConnectAsync_IPv6Target_UsesAtyp4()
    {
        IPEndPoint? requested = null;
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            await AcceptNoAuthAsync(s, ct);
            requested = await ReadConnectAsync(s, ct);
            byte[] reply = [5, 0, 0, 4, .. new byte[16], 0, 25];
            await s.WriteAsync(reply, ct);
        });
        var v6 = IPAddress.Parse("2001:db8::25");

        await using var stream = await Connector(proxy).ConnectAsync(v6, 587, CancellationToken.None);

        Assert.Equal(new IPEndPoint(v6, 587), requested);
        proxy.ThrowIfFailed();
    }

    [Fact]
    public async Task ConnectAsync_ProxySilent_TimesOut()
    {
        var clock = new TestClock();
        var greeted = new TaskCompletionSource();
        await using var proxy = SilentAfterGreeting(greeted);

        var connect = Connector(proxy, timeout: TimeSpan.FromMilliseconds(300), time: clock).ConnectAsync(Target, 25, CancellationToken.None);
        await greeted.Task.WaitAsync(TestClock.HangGuard);
        await clock.ElapseAsync(TimeSpan.FromMilliseconds(300));

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => connect.WaitAsync(TestClock.HangGuard));
        Assert.Equal($"timeout negotiating with SOCKS5 proxy 127.0.0.1:{proxy.Port} for 192.0.2.25 port 25 after 300ms", ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_ProxySilent_CallerCancel_IsNotTimeout()
    {
        var clock = new TestClock();
        var greeted = new TaskCompletionSource();
        await using var proxy = SilentAfterGreeting(greeted);
        using var cts = new CancellationTokenSource();

        var connect = Connector(proxy, time: clock).ConnectAsync(Target, 25, cts.Token);
        await greeted.Task.WaitAsync(TestClock.HangGuard);
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect.WaitAsync(TestClock.HangGuard));
        Assert.IsNotType<TimeoutException>(ex);
    }

    /// <summary>A proxy that reads the greeting, says so, and never replies: the client is then negotiating.</summary>
    private static LoopbackServer SilentAfterGreeting(TaskCompletionSource greeted) => new(async (s, ct) =>
    {
        await s.ReadExactlyAsync(new byte[3], ct);
        greeted.TrySetResult();
        await Task.Delay(System.Threading.Timeout.Infinite, ct);
    });

    [Fact]
    public async Task ConnectAsync_ProxyByName_ResolvesLocalhost()
    {
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            await AcceptNoAuthAsync(s, ct);
            await ReadConnectAsync(s, ct);
            await s.WriteAsync(Success, ct);
        }, IPAddress.Loopback);
        var connector = new Socks5Connector(new Uri($"socks5://localhost:{proxy.Port}"), Timeout);

        await using var stream = await connector.ConnectAsync(Target, 25, CancellationToken.None);

        Assert.Equal($"SOCKS5 proxy localhost:{proxy.Port}", connector.ProxyLabel);
    }

    [SkippableFact]
    public async Task ConnectAsync_ProxyAtIPv6Literal_Connects()
    {
        LoopbackServer proxy;
        try
        {
            proxy = new LoopbackServer(
                async (s, ct) =>
                {
                    await AcceptNoAuthAsync(s, ct);
                    await ReadConnectAsync(s, ct);
                    await s.WriteAsync(Success, ct);
                },
                IPAddress.IPv6Loopback);
        }
        catch (SocketException e)
        {
            throw new SkipException($"no ::1 to listen on here: {e.Message}");
        }

        await using (proxy)
        {
            var connector = new Socks5Connector(Socks5Connector.ParseProxyUri($"socks5://[::1]:{proxy.Port}"), Timeout);

            await using var stream = await connector.ConnectAsync(Target, 25, CancellationToken.None);

            Assert.Equal($"SOCKS5 proxy [::1]:{proxy.Port}", connector.ProxyLabel);
            proxy.ThrowIfFailed();
        }
    }
}
