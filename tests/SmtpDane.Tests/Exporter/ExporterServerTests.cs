using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using SmtpDane.Exporter;

namespace SmtpDane.Tests.Exporter;

/// <summary>The Kestrel side on loopback, with a probe service that misbehaves on purpose.</summary>
public class ExporterServerTests
{
    private sealed class FakeProbes(Func<Task<ProbeAnswer>> answer) : IProbeService
    {
        public TimeSpan Deadline(TimeSpan? scrapeTimeout) => TimeSpan.FromSeconds(10);

        public Task<ProbeAnswer> ProbeAsync(string? target, string? mode, string? service, TimeSpan deadline, CancellationToken ct) => answer();
    }

    private static async Task<(HttpStatusCode Status, string Body, string Metrics)> ScrapeOnceAsync(IProbeService probes, TimeProvider time, Action<Task<HttpResponseMessage>>? whilePending = null)
    {
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
        }

        var counters = new ExporterCounters();
        var server = new ExporterServer(new IPEndPoint(IPAddress.Loopback, port), probes, counters, new ExporterLimits(), time);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var started = new TaskCompletionSource();
        var run = server.RunAsync(started.SetResult, cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        var pending = http.GetAsync("probe?target=example.org");
        whilePending?.Invoke(pending);
        using var response = await pending;
        var body = await response.Content.ReadAsStringAsync();
        var metrics = await http.GetStringAsync("metrics");
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        return (response.StatusCode, body, metrics);
    }

    [Fact]
    public async Task Probe_ServiceThrows_500OneLineAndCounted()
    {
        // The HttpListener handler caught only network exceptions: anything else left the request unanswered.
        var probes = new FakeProbes(() => throw new ArgumentOutOfRangeException("stepTimeout", "negative\nsecond line"));
        var (status, body, metrics) = await ScrapeOnceAsync(probes, TimeProvider.System);
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.StartsWith("internal error: ArgumentOutOfRangeException: negative second line", body, StringComparison.Ordinal);
        Assert.Equal(1, body.Count(c => c == '\n'));
        Assert.Contains("smtpdane_exporter_internal_errors_total 1\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ServiceFaultsLater_500()
    {
        var probes = new FakeProbes(async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("boom");
        });
        var (status, body, _) = await ScrapeOnceAsync(probes, TimeProvider.System);
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("InvalidOperationException: boom", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ServiceNeverAnswers_503AtDeadlinePlusMargin()
    {
        var time = new TestClock();
        var never = new TaskCompletionSource<ProbeAnswer>();
        var probes = new FakeProbes(() => never.Task);
        Task? elapse = null;

        // Deadline 10 s + margin 1 s on the test clock: the request waits on exactly that timer.
        var (status, body, metrics) = await ScrapeOnceAsync(probes, time, pending => elapse = time.ElapseAsync(TimeSpan.FromSeconds(11)));
        await elapse!;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("did not finish within this request's 10s", body, StringComparison.Ordinal);
        Assert.True(time.GetUtcNow() - new FakeTimeProvider().GetUtcNow() >= TimeSpan.FromSeconds(11));
        Assert.Contains("smtpdane_exporter_timeouts_total 1\n", metrics, StringComparison.Ordinal);
    }
}
