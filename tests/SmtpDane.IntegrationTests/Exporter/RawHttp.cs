using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpDane.IntegrationTests.Exporter;

/// <summary>What one raw HTTP connection saw: every response's status, in order, and how it ended.</summary>
public sealed record RawExchange(IReadOnlyList<int> Statuses, bool ClosedByServer, TimeSpan Elapsed, string? Error)
{
    public override string ToString() =>
        $"[{string.Join(',', Statuses)}] closed={ClosedByServer} after {Elapsed.TotalSeconds:0.00}s{(Error is null ? string.Empty : " " + Error)}";
}

/// <summary>
/// A byte-level HTTP/1.1 client for fault tests: sends exactly the bytes given and counts the
/// responses that come back (status line, headers, Content-Length body), so a second, unsolicited
/// response on the same connection is seen, which HttpClient would hide.
/// </summary>
public static class RawHttp
{
    /// <param name="idle">After the last response, how long to wait for another before giving up.</param>
    public static async Task<RawExchange> ExchangeAsync(IPEndPoint server, byte[] request, TimeSpan bound, TimeSpan idle)
    {
        var clock = Stopwatch.StartNew();
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        var statuses = new List<int>();
        using var cts = new CancellationTokenSource(bound);
        try
        {
            await socket.ConnectAsync(server, cts.Token);
            if (request.Length > 0)
            {
                await socket.SendAsync(request, SocketFlags.None, cts.Token);
            }

            var closed = await ReadResponsesAsync(socket, statuses, idle, cts.Token);
            return new RawExchange(statuses, closed, clock.Elapsed, null);
        }
        catch (OperationCanceledException)
        {
            return new RawExchange(statuses, false, clock.Elapsed, "bound reached");
        }
        catch (SocketException e)
        {
            // A reset after a complete response is a close; before one it is an error.
            return new RawExchange(statuses, true, clock.Elapsed, statuses.Count == 0 ? e.SocketErrorCode.ToString() : null);
        }
    }

    /// <summary>True when the server closed the connection; false when <paramref name="idle"/> passed with it open.</summary>
    public static async Task<bool> ReadResponsesAsync(Socket socket, List<int> statuses, TimeSpan idle, CancellationToken ct)
    {
        var data = new List<byte>();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            using var idleCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (statuses.Count > 0)
            {
                idleCts.CancelAfter(idle);
            }

            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, idleCts.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }

            if (n == 0)
            {
                Parse(data, statuses);
                return true;
            }

            data.AddRange(buffer.AsSpan(0, n).ToArray());
            Parse(data, statuses);
        }
    }

    /// <summary>Removes every complete response from <paramref name="data"/>, adding its status.</summary>
    private static void Parse(List<byte> data, List<int> statuses)
    {
        while (true)
        {
            var text = Encoding.Latin1.GetString(data.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0 || !text.StartsWith("HTTP/1.", StringComparison.Ordinal))
            {
                return;
            }

            var head = text[..end];
            var length = 0;
            foreach (var line in head.Split("\r\n"))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
                }
            }

            if (data.Count < end + 4 + length)
            {
                return;
            }

            statuses.Add(int.Parse(head.AsSpan(9, 3), CultureInfo.InvariantCulture));
            data.RemoveRange(0, end + 4 + length);
        }
    }
}
