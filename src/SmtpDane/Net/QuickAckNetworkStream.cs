using System.Net.Sockets;

namespace SmtpDane.Net;

/// <summary>
/// A <see cref="NetworkStream"/> that asks Linux to acknowledge incoming segments at once
/// (TCP_QUICKACK) before each read. SMTP servers such as Postfix leave Nagle on; when one writes
/// a reply or TLS flight in two segments, it holds the second until the first is acknowledged,
/// while our side, with nothing to send, delays that ACK (40 ms on Linux): a 40 ms stall in about
/// one probe in three (bench/RESULTS.md). The kernel clears the flag on its own (tcp(7): "not
/// permanent"), hence re-arming before every read. Elsewhere this is a plain NetworkStream.
/// </summary>
internal sealed class QuickAckNetworkStream : NetworkStream
{
    // tcp(7); <netinet/tcp.h> TCP_QUICKACK, at level IPPROTO_TCP (6).
    private const int TcpQuickAck = 12;
    private static readonly bool Supported = OperatingSystem.IsLinux();
    private static readonly byte[] On = BitConverter.GetBytes(1);

    public QuickAckNetworkStream(Socket socket)
        : base(socket, ownsSocket: true)
    {
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Arm();
        return base.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Arm();
        return base.ReadAsync(buffer, offset, count, cancellationToken);
    }

    public override int Read(Span<byte> buffer)
    {
        Arm();
        return base.Read(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Arm();
        return base.Read(buffer, offset, count);
    }

    /// <summary>Best effort: a failure (socket closing, unusual kernel) only costs the optimisation.</summary>
    private void Arm()
    {
        if (!Supported)
        {
            return;
        }

        try
        {
            Socket.SetRawSocketOption((int)ProtocolType.Tcp, TcpQuickAck, On);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
