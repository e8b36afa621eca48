using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SmtpDane.Dns;

/// <summary>
/// One query, one answer, over UDP or TCP (RFC 1035 §4.2, RFC 7766). Callers bound each call
/// with a token that carries the per-query timeout. Socket trouble surfaces as
/// <see cref="SocketException"/> or <see cref="IOException"/>; callers turn it into a reason.
/// </summary>
internal static class DnsExchange
{
    /// <summary>Unrelated datagrams (wrong id, not a response) tolerated before giving up.</summary>
    private const int MaxIgnoredDatagrams = 16;

    private const int MaxUdpMessage = 65535;

    /// <summary>
    /// Sends <paramref name="query"/> and returns the first datagram from the server that is a
    /// response with the query's id; others are dropped (RFC 5452 §9.1).
    /// </summary>
    public static async Task<byte[]> UdpAsync(IPEndPoint server, byte[] query, CancellationToken ct)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, ct).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, ct).ConfigureAwait(false);

        var buffer = new byte[MaxUdpMessage];
        for (var ignored = 0; ignored <= MaxIgnoredDatagrams; ignored++)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
            if (IsResponseTo(buffer.AsSpan(0, n), query))
            {
                return buffer.AsSpan(0, n).ToArray();
            }
        }

        throw new IOException($"more than {MaxIgnoredDatagrams} unrelated datagrams from {server}");
    }

    /// <summary>Sends <paramref name="query"/> with the two-byte length prefix and reads one response.</summary>
    public static async Task<byte[]> TcpAsync(IPEndPoint server, byte[] query, CancellationToken ct)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, ct).ConfigureAwait(false);
        using var stream = new NetworkStream(socket, ownsSocket: false);

        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await stream.WriteAsync(framed, ct).ConfigureAwait(false);

        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, ct).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        var response = new byte[length];
        await stream.ReadExactlyAsync(response, ct).ConfigureAwait(false);
        if (!IsResponseTo(response, query))
        {
            throw new IOException($"TCP answer from {server} does not match the query id");
        }

        return response;
    }

    private static bool IsResponseTo(ReadOnlySpan<byte> message, byte[] query) =>
        message.Length >= 12 && message[0] == query[0] && message[1] == query[1] && (message[2] & 0x80) != 0;
}
