using System.Net;
using System.Net.Sockets;

namespace SmtpDane.Net;

/// <summary>
/// Direct TCP connections. The returned <see cref="NetworkStream"/> owns its socket (NoDelay set:
/// SMTP is request/response; TCP_QUICKACK re-armed before reads, see
/// <see cref="QuickAckNetworkStream"/>). The connect timeout covers the handshake only.
/// </summary>
public sealed class TcpConnector : IConnector
{
    private readonly TimeProvider _timeProvider;

    public TcpConnector(TimeSpan connectTimeout, TimeProvider? timeProvider = null)
    {
        NetText.ValidateTimeout(connectTimeout, nameof(connectTimeout));
        ConnectTimeout = connectTimeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public TimeSpan ConnectTimeout { get; }

    public async Task<Stream> ConnectAsync(IPAddress address, int port, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);

        using var deadline = new CancellationTokenSource(ConnectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), linked.Token).ConfigureAwait(false);
            return new QuickAckNetworkStream(socket);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"timeout connecting to {NetText.Endpoint(address, port)} after {NetText.Duration(ConnectTimeout)}", ex);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut)
        {
            socket.Dispose();
            throw new TimeoutException($"timeout connecting to {NetText.Endpoint(address, port)} (the system gave up)", ex);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new ConnectException(Describe(ex.SocketErrorCode, address, port, ex.Message), ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Describe(SocketError error, IPAddress address, int port, string detail)
    {
        var where = NetText.Endpoint(address, port);
        return error switch
        {
            SocketError.ConnectionRefused => $"connection refused by {where}",
            SocketError.HostUnreachable => $"cannot connect to {where}: host unreachable",
            SocketError.NetworkUnreachable => $"cannot connect to {where}: network unreachable",
            SocketError.AddressFamilyNotSupported => $"cannot connect to {where}: address family not supported on this system",
            SocketError.AddressNotAvailable => $"cannot connect to {where}: address not available",
            SocketError.ConnectionReset => $"connection to {where} reset",
            _ => $"cannot connect to {where}: {detail}",
        };
    }
}
