using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ARSoft.Tools.Net.Dns;

namespace SmtpDane.IntegrationTests.Faults;

/// <summary>One question as the fault DNS server saw it.</summary>
public sealed record FaultQuery(string Name, RecordType Type, bool Tcp);

/// <summary>A resource record as wire bytes.</summary>
public sealed record FaultRr(string Name, ushort Type, byte[] Rdata)
{
    public static FaultRr A(string name, string ip) => new(name, 1, IPAddress.Parse(ip).GetAddressBytes());

    public static FaultRr Cname(string name, string target) => new(name, 5, FaultDnsServer.EncodeName(target));

    public static FaultRr Tlsa(string name, byte usage, byte selector, byte matching, byte[] data) =>
        new(name, 52, [usage, selector, matching, .. data]);
}

/// <summary>What to send back. Null from the handler means "stay silent".</summary>
public sealed record FaultReply(ReturnCode Rcode, bool Ad, IReadOnlyList<FaultRr> Answers, bool Truncated = false);

/// <summary>
/// A DNS server on 127.0.0.1 (UDP and TCP on one ephemeral port) answering from a handler,
/// copied in small from the unit tests' FakeDnsServer (test projects do not reference each other).
/// </summary>
public sealed class FaultDnsServer : IAsyncDisposable
{
    private readonly Func<FaultQuery, FaultReply?> _handler;
    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;

    public FaultDnsServer(Func<FaultQuery, FaultReply?> handler)
    {
        _handler = handler;
        (_udp, _tcp) = Bind();
        EndPoint = new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)_tcp.LocalEndpoint).Port);
        _udpLoop = Task.Run(UdpLoopAsync);
        _tcpLoop = Task.Run(TcpLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>The DNS_RESOLVER form of <see cref="EndPoint"/>.</summary>
    public string Address => $"127.0.0.1:{EndPoint.Port}";

    public ConcurrentQueue<FaultQuery> Queries { get; } = new();

    public static FaultReply Reply(ReturnCode rcode, bool ad, params FaultRr[] answers) => new(rcode, ad, answers);

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

    private static (Socket Udp, TcpListener Tcp) Bind()
    {
        for (var attempt = 0; ; attempt++)
        {
            var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)tcp.LocalEndpoint).Port));
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
                    try
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
                    catch (Exception)
                    {
                        // The client gave up or the server is stopping.
                    }
                }
            });
        }
    }

    private byte[]? Answer(byte[] raw, bool tcp)
    {
        var message = DnsMessage.Parse(new ArraySegment<byte>(raw));
        var question = message.Questions[0];
        var query = new FaultQuery(question.Name.ToString(false).TrimEnd('.').ToLowerInvariant(), question.RecordType, tcp);
        Queries.Enqueue(query);
        var reply = _handler(query);
        return reply is null ? null : Encode(raw, reply);
    }

    private static byte[] Encode(byte[] query, FaultReply reply)
    {
        var bytes = new List<byte> { query[0], query[1] };
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
        AddU16(bytes, (ushort)(reply.Truncated ? 0 : reply.Answers.Count));
        AddU16(bytes, 0);
        AddU16(bytes, 0);

        var questionEnd = 12;
        while (query[questionEnd] != 0)
        {
            questionEnd += query[questionEnd] + 1;
        }

        questionEnd += 5;
        bytes.AddRange(query.AsSpan(12, questionEnd - 12).ToArray());
        if (!reply.Truncated)
        {
            foreach (var rr in reply.Answers)
            {
                bytes.AddRange(EncodeName(rr.Name));
                AddU16(bytes, rr.Type);
                AddU16(bytes, 1);
                AddU16(bytes, 0);
                AddU16(bytes, 300);
                AddU16(bytes, (ushort)rr.Rdata.Length);
                bytes.AddRange(rr.Rdata);
            }
        }

        return [.. bytes];
    }

    private static void AddU16(List<byte> bytes, ushort value)
    {
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }
}
