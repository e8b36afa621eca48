using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ARSoft.Tools.Net.Dns;

namespace SmtpDane.Tests.Dns;

/// <summary>
/// A DNS server on 127.0.0.1 (UDP and TCP on the same ephemeral port) that answers from a
/// handler. ARSoft keeps its encoder internal, so replies are written here by hand.
/// </summary>
public sealed class FakeDnsServer : IAsyncDisposable
{
    private readonly Func<FakeQuery, FakeReply?> _handler;
    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;

    public FakeDnsServer(Func<FakeQuery, FakeReply?> handler)
        : this(handler, IPAddress.Loopback)
    {
    }

    /// <param name="address">Where to listen (a non-loopback address for tests of remote resolvers).</param>
    public FakeDnsServer(Func<FakeQuery, FakeReply?> handler, IPAddress address)
    {
        _handler = handler;
        (_udp, _tcp) = Bind(address);
        EndPoint = new IPEndPoint(address, ((IPEndPoint)_tcp.LocalEndpoint).Port);
        _udpLoop = Task.Run(UdpLoopAsync);
        _tcpLoop = Task.Run(TcpLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    public ConcurrentQueue<FakeQuery> Queries { get; } = new();

    public static FakeReply Reply(ReturnCode rcode, bool ad, params FakeRr[] answers) => new(rcode, ad, answers);

    public static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Stop();
        try
        {
            await Task.WhenAll(_udpLoop, _tcpLoop);
        }
        catch (Exception)
        {
            // Loops end with socket errors on shutdown.
        }

        _stop.Dispose();
    }

    private static (Socket Udp, TcpListener Tcp) Bind(IPAddress address)
    {
        for (var attempt = 0; ; attempt++)
        {
            var tcp = new TcpListener(address, 0);
            tcp.Start();
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(address, ((IPEndPoint)tcp.LocalEndpoint).Port));
                return (udp, tcp);
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
                tcp.Stop();
            }
        }
    }

    private async Task UdpLoopAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            var received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            var reply = Answer(buffer.AsSpan(0, received.ReceivedBytes).ToArray(), tcp: false);
            if (reply is not null)
            {
                await _udp.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint, _stop.Token);
            }
        }
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _tcp.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    var prefix = new byte[2];
                    await stream.ReadExactlyAsync(prefix, _stop.Token);
                    var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                    await stream.ReadExactlyAsync(query, _stop.Token);
                    var reply = Answer(query, tcp: true);
                    if (reply is null)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    }

                    var framed = new byte[reply.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)reply.Length);
                    reply.CopyTo(framed, 2);
                    await stream.WriteAsync(framed, _stop.Token);
                }
            });
        }
    }

    private byte[]? Answer(byte[] raw, bool tcp)
    {
        var message = DnsMessage.Parse(new ArraySegment<byte>(raw));
        var question = message.Questions[0];
        var query = new FakeQuery(
            question.Name.ToString(false),
            question.RecordType,
            tcp,
            message.IsDnsSecOk,
            message.IsRecursionDesired,
            message.EDnsOptions?.UdpPayloadSize ?? 512);
        Queries.Enqueue(query);
        var reply = _handler(query);
        return reply is null ? null : Encode(raw, reply);
    }

    private static byte[] Encode(byte[] query, FakeReply reply)
    {
        var bytes = new List<byte> { query[0], (byte)(reply.WrongId ? query[1] ^ 0x5A : query[1]) };
        var flags = 0x8000 | 0x0100 | 0x0080 | (int)reply.Rcode; // QR, RD, RA
        if (reply.Ad)
        {
            flags |= 0x0020;
        }

        if (reply.Truncated)
        {
            flags |= 0x0200;
        }

        AddU16(bytes, (ushort)flags);
        AddU16(bytes, 1);
        var authority = reply.Authority ?? [];
        AddU16(bytes, (ushort)reply.Answers.Count);
        AddU16(bytes, (ushort)authority.Count);
        AddU16(bytes, 0);

        // Question: echo it (or a different one when asked), then the answers and the authority section.
        var questionEnd = 12;
        while (query[questionEnd] != 0)
        {
            questionEnd += query[questionEnd] + 1;
        }

        questionEnd += 5;
        if (reply.QuestionName is null)
        {
            bytes.AddRange(query.AsSpan(12, questionEnd - 12).ToArray());
        }
        else
        {
            bytes.AddRange(EncodeName(reply.QuestionName));
            bytes.AddRange(query.AsSpan(questionEnd - 4, 4).ToArray());
        }

        foreach (var rr in reply.Answers.Concat(authority))
        {
            bytes.AddRange(EncodeName(rr.Name));
            AddU16(bytes, rr.Type);
            AddU16(bytes, 1);
            AddU16(bytes, 0);
            AddU16(bytes, 300);
            AddU16(bytes, (ushort)rr.Rdata.Length);
            bytes.AddRange(rr.Rdata);
        }

        return [.. bytes];
    }

    private static void AddU16(List<byte> bytes, ushort value)
    {
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }
}
