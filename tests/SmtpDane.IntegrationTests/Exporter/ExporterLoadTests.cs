using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace SmtpDane.IntegrationTests.Exporter;

/// <summary>
/// The exporter as a hostile network and a careless scraper meet it, all on loopback: 2,000
/// concurrent scrapes of silent SMTP targets, 1,000 slowloris connections and a set of malformed
/// requests at once, with and without a file-descriptor limit of 256. Every connection must get
/// exactly one response (or, for slowloris, be closed) within its bound, no socket may be left in
/// CLOSE-WAIT, /metrics must still answer and peak RSS stay under <see cref="MaxPeakRssMiB"/>.
/// Bounds are generous (a loaded two-core CI machine); bench/RESULTS.md records the real figures.
/// </summary>
public class ExporterLoadTests
{
    /// <summary>Peak RSS of the JIT-compiled exporter through the storm.</summary>
    public const double MaxPeakRssMiB = 400;

    private const int ScrapeTimeoutSeconds = 3;

    /// <summary>
    /// The exporter promises deadline (scrape timeout - 0.5 s) + 1 s from when it accepts a
    /// connection; under the descriptor limit a connection may first wait in the listen queue
    /// behind slowloris connections until their 10 s header timeout. The rest is slack for a busy machine.
    /// </summary>
    private static readonly TimeSpan ScrapeBound = TimeSpan.FromSeconds(ScrapeTimeoutSeconds + 40);

    /// <summary>Kestrel's 10 s request-headers timeout plus slack.</summary>
    private static readonly TimeSpan SlowlorisBound = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;

    public ExporterLoadTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public Task Storm_NoDescriptorLimit_EveryRequestAnsweredOnce() => StormAsync(null);

    [Fact]
    public Task Storm_DescriptorLimit256_EveryRequestAnsweredOnceAndNoCrash() => StormAsync(256);

    private async Task StormAsync(int? descriptorLimit)
    {
        using var silent = new SilentServer();
        await using var exporter = await ExporterProcess.StartAsync(
            descriptorLimit, "-allow-targets", "127.0.0.0/8", "-cache-ttl", "0s", "-timeout", "10s", "-parallel", "32");

        var slowloris = Enumerable.Range(0, 1000).Select(_ => SlowlorisAsync(exporter.Endpoint)).ToList();
        var scrapes = Enumerable.Range(0, 2000).Select(i => RawHttp.ExchangeAsync(
            exporter.Endpoint,
            ExporterProcess.Get($"/probe?target=127.0.0.{1 + (i % 4)}:{silent.Port}&mode=host", $"X-Prometheus-Scrape-Timeout-Seconds: {ScrapeTimeoutSeconds}\r\n"),
            ScrapeBound,
            TimeSpan.FromSeconds(2))).ToList();
        var malformed = Malformed(exporter.Endpoint.Port).Select(m => (m.Name, m.Expected, Task: RawHttp.ExchangeAsync(exporter.Endpoint, m.Bytes, ScrapeBound, TimeSpan.FromSeconds(2)))).ToList();

        var scrapeResults = await Task.WhenAll(scrapes);
        var malformedResults = await Task.WhenAll(malformed.Select(m => m.Task));
        var slowResults = await Task.WhenAll(slowloris);

        var byStatus = scrapeResults.GroupBy(r => string.Join(',', r.Statuses)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"[{g.Key}]x{g.Count()}");
        _output.WriteLine($"fd limit {descriptorLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: scrapes {string.Join(' ', byStatus)}; " +
            $"max latency {scrapeResults.Max(r => r.Elapsed).TotalSeconds:0.00}s; slowloris closed by server {slowResults.Count(s => s.ClosedByServer)}/1000, " +
            $"max {slowResults.Max(s => s.Elapsed).TotalSeconds:0.0}s; peak RSS {exporter.PeakRssMiB():0.0} MiB");

        Assert.False(exporter.HasExited, "the exporter died under load");
        var badScrapes = scrapeResults.Where(r => r.Statuses.Count != 1 || r.Statuses[0] is not (200 or 503) || !r.ClosedByServer).ToList();
        Assert.True(badScrapes.Count == 0, $"{badScrapes.Count} scrapes without exactly one 200/503 response, e.g. {string.Join("; ", badScrapes.Take(5))}");
        if (descriptorLimit is null)
        {
            // Under the limit, slowloris may hold every connection slot until its header timeout: all 503 is right then.
            Assert.Contains(scrapeResults, r => r.Statuses is [200]);
        }
        for (var i = 0; i < malformed.Count; i++)
        {
            var r = malformedResults[i];
            Assert.True(r.Statuses.Count == 1 && malformed[i].Expected(r.Statuses[0]), $"{malformed[i].Name}: {r}");
        }

        var unreaped = slowResults.Where(s => !s.ClosedByServer || s.Statuses.Count > 1).ToList();
        Assert.True(unreaped.Count == 0, $"{unreaped.Count} slowloris connections not closed by the server, or answered twice, e.g. {string.Join("; ", unreaped.Take(5))}");

        var closeWait = 0;
        for (var i = 0; i < 100 && (closeWait = exporter.CloseWaitSockets()) > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, closeWait);
        var metrics = await RawHttp.ExchangeAsync(exporter.Endpoint, ExporterProcess.Get("/metrics"), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1));
        Assert.Equal([200], metrics.Statuses);
        var after = await RawHttp.ExchangeAsync(
            exporter.Endpoint,
            ExporterProcess.Get($"/probe?target=127.0.0.1:{silent.Port}&mode=host", "X-Prometheus-Scrape-Timeout-Seconds: 2\r\n"),
            ScrapeBound,
            TimeSpan.FromSeconds(2));
        Assert.Equal([200], after.Statuses);
        var peak = exporter.PeakRssMiB();
        Assert.True(peak < MaxPeakRssMiB, $"peak RSS {peak:0.0} MiB, bound {MaxPeakRssMiB} MiB");
        Assert.Equal(0, await exporter.StopAsync());
    }

    /// <summary>Sends headers one line every second and never ends them; returns when the server closes.</summary>
    private static async Task<RawExchange> SlowlorisAsync(IPEndPoint server)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(SlowlorisBound);
        var statuses = new List<int>();
        try
        {
            await socket.ConnectAsync(server, cts.Token);
            await socket.SendAsync("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"u8.ToArray(), SocketFlags.None, cts.Token);
            var reading = RawHttp.ReadResponsesAsync(socket, statuses, SlowlorisBound, cts.Token);
            for (var i = 0; !reading.IsCompleted; i++)
            {
                await Task.WhenAny(reading, Task.Delay(1000, cts.Token));
                if (!reading.IsCompleted)
                {
                    await socket.SendAsync(Encoding.ASCII.GetBytes($"X-Slow-{i}: a\r\n"), SocketFlags.None, cts.Token);
                }
            }

            return new RawExchange(statuses, await reading, clock.Elapsed, null);
        }
        catch (SocketException)
        {
            return new RawExchange(statuses, true, clock.Elapsed, null); // reset by the server: closed
        }
        catch (OperationCanceledException)
        {
            return new RawExchange(statuses, false, clock.Elapsed, "bound reached");
        }
    }

    private static IEnumerable<(string Name, byte[] Bytes, Func<int, bool> Expected)> Malformed(int port)
    {
        static byte[] A(string s) => Encoding.Latin1.GetBytes(s);
        Func<int, bool> clientError = s => s is >= 400 and < 500 or 503;
        yield return ("bad HTTP version", A("GET /metrics HTTP/9.9\r\nHost: a\r\n\r\n"), s => s is 505 or 400 or 503);
        yield return ("wrong Host", A("GET /nowhere HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"), s => s is 404 or 503);
        yield return ("no Host", A("GET /metrics HTTP/1.1\r\n\r\n"), clientError);
        yield return ("request line too long", A($"GET /probe?target={new string('a', 9000)} HTTP/1.1\r\nHost: a\r\n\r\n"), clientError);
        yield return ("headers too large", A($"GET /metrics HTTP/1.1\r\nHost: a\r\nX-Big: {new string('b', 40000)}\r\n\r\n"), clientError);
        yield return ("NUL in request line", A("GET /met\0rics HTTP/1.1\r\nHost: a\r\n\r\n"), clientError);
        yield return ("method not allowed", A("POST /probe HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), s => s is 405 or 503);
        yield return ("body on a GET, larger than allowed", A("GET /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n" + new string('x', 2000)), s => s is 200 or 413 or 503);
        yield return ("CL and TE together", A("GET /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), s => s is 400 or 200 or 503);
        yield return ("control character in target", A("GET /probe?target=a%0Ab.example&mode=mx HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), clientError);
        yield return ("target to the exporter itself", A($"GET /probe?target=127.0.0.1:{port}&mode=host HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), s => s is 403 or 503);
        yield return ("garbage", A("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"), clientError);
    }

    /// <summary>Accepts SMTP connections and never says a word (a tarpit).</summary>
    private sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Any, 0);
        private readonly ConcurrentBag<Socket> _held = [];
        private readonly CancellationTokenSource _stop = new();

        public SilentServer()
        {
            _listener.Start(4096);
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = AcceptAsync();
        }

        public int Port { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            foreach (var s in _held)
            {
                s.Dispose();
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    _held.Add(await _listener.AcceptSocketAsync(_stop.Token));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
