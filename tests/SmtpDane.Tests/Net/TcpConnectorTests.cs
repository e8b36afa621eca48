using System.Net;
using System.Net.Sockets;
using SmtpDane.Net;

namespace SmtpDane.Tests.Net;

public class TcpConnectorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ConnectAsync_Listening_ReturnsWorkingStream()
    {
        await using var server = new LoopbackServer(async (s, ct) =>
        {
            await s.WriteAsync("220 hi\r\n"u8.ToArray(), ct);
        });

        await using var stream = await new TcpConnector(Timeout).ConnectAsync(IPAddress.Loopback, server.Port, CancellationToken.None);
        var buf = new byte[8];
        await stream.ReadExactlyAsync(buf, CancellationToken.None);

        Assert.Equal("220 hi\r\n"u8.ToArray(), buf);
        var ns = Assert.IsType<QuickAckNetworkStream>(stream);
        Assert.True(ns.Socket.NoDelay);
        server.ThrowIfFailed();
    }

    [SkippableFact]
    public async Task ConnectAsync_IPv6Loopback_Connects()
    {
        Skip.IfNot(Socket.OSSupportsIPv6, "this OS has no IPv6");

        LoopbackServer server;
        try
        {
            server = new LoopbackServer((_, _) => Task.CompletedTask, IPAddress.IPv6Loopback);
        }
        catch (SocketException e)
        {
            throw new SkipException($"no ::1 to listen on here: {e.Message}");
        }

        await using (server)
        {
            await using var stream = await new TcpConnector(Timeout).ConnectAsync(IPAddress.IPv6Loopback, server.Port, CancellationToken.None);
            Assert.True(stream.CanRead);
        }
    }

    [Fact]
    public async Task ConnectAsync_Refused_ThrowsConnectExceptionNamingTarget()
    {
        var port = LoopbackServer.FreePort();

        var ex = await Assert.ThrowsAsync<ConnectException>(() => new TcpConnector(Timeout).ConnectAsync(IPAddress.Loopback, port, CancellationToken.None));

        Assert.Equal($"connection refused by 127.0.0.1 port {port}", ex.Message);
        Assert.False(ex.ViaProxy);
    }

    [SkippableFact]
    public async Task ConnectAsync_BacklogFull_TimesOut()
    {
        // A blackholed SYN without leaving loopback: Linux drops SYNs to a listener whose accept
        // queue is full. Where the OS answers differently (RST or accepts), skip.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            var connector = new TcpConnector(TimeSpan.FromMilliseconds(300));
            for (var i = 0; i < 8; i++)
            {
                Stream stream;
                try
                {
                    stream = await connector.ConnectAsync(IPAddress.Loopback, port, CancellationToken.None);
                }
                catch (TimeoutException ex)
                {
                    Assert.Equal($"timeout connecting to 127.0.0.1 port {port} after 300ms", ex.Message);
                    return;
                }
                catch (ConnectException)
                {
                    throw new SkipException("this OS refuses connections to a full backlog instead of dropping the SYN");
                }

                fillers.Add(((NetworkStream)stream).Socket);
            }

            throw new SkipException("this OS accepted 8 connections past a backlog of 0 instead of dropping the SYN");
        }
        finally
        {
            fillers.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task ConnectAsync_CallerCancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TcpConnector(Timeout).ConnectAsync(IPAddress.Loopback, 25, cts.Token));

        Assert.IsNotType<TimeoutException>(ex);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public async Task ConnectAsync_BadPort_Throws(int port)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new TcpConnector(Timeout).ConnectAsync(IPAddress.Loopback, port, CancellationToken.None));
    }
}
