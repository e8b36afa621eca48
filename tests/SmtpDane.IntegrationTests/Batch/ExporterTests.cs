using System.Net;
using System.Net.Sockets;
using SmtpDane.Cli;

namespace SmtpDane.IntegrationTests.Batch;

/// <summary><c>smtpdane serve</c> in-process against the test bed, scraped over loopback HTTP.</summary>
public class ExporterTests
{
    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [TestbedFact]
    public async Task Serve_Probe_SuccessForVerifiedAndFailureForMismatch()
    {
        var port = FreePort();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var server = CommandLineApp.RunAsync(
            ["serve", "-listen", $"127.0.0.1:{port}", "-timeout", "20s", "-allow-targets", "test", "-allow-targets", "127.0.0.0/8"], stdout, TextWriter.Synchronized(stderr), new Dictionary<string, string?>(), false, cts.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await WaitUpAsync(http, server);

            using var request = new HttpRequestMessage(HttpMethod.Get, "probe?target=ee311.test&mode=mx");
            request.Headers.Add("X-Prometheus-Scrape-Timeout-Seconds", "10");
            using var ok = await http.SendAsync(request);
            var okBody = await ok.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.StartsWith("text/plain", ok.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
            Assert.Contains("smtpdane_probe_success{target=\"ee311.test\",mode=\"mx\"} 1\n", okBody, StringComparison.Ordinal);
            Assert.Contains("smtpdane_dane_verified{target=\"ee311.test\",host=\"mx.ee311.test\"", okBody, StringComparison.Ordinal);
            Assert.Contains("smtpdane_cert_not_after_seconds{", okBody, StringComparison.Ordinal);

            var bad = await http.GetStringAsync("probe?target=eemismatch.test&mode=mx");
            Assert.Contains("smtpdane_probe_success{target=\"eemismatch.test\",mode=\"mx\"} 0\n", bad, StringComparison.Ordinal);

            // Served from the 30 s cache.
            await http.GetStringAsync("probe?target=ee311.test&mode=mx");
            var metrics = await http.GetStringAsync("metrics");
            Assert.Contains("smtpdane_exporter_cache_hits_total 1\n", metrics, StringComparison.Ordinal);
            Assert.Contains("smtpdane_exporter_probes_total 2\n", metrics, StringComparison.Ordinal);

            using var missing = await http.GetAsync("probe");
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        }
        finally
        {
            await cts.CancelAsync();
        }

        Assert.Equal(0, await server);
    }

    [TestbedFact]
    public async Task Serve_DefaultAllowList_RefusesNameResolvingToLoopback()
    {
        // Every test-bed MX resolves to 127.0.0.x: by default the exporter must not go there,
        // however the name looks (the check is on the address connected to, not the name).
        var port = FreePort();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var server = CommandLineApp.RunAsync(
            ["serve", "-listen", $"127.0.0.1:{port}", "-timeout", "20s"], TextWriter.Null, TextWriter.Null, new Dictionary<string, string?>(), false, cts.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await WaitUpAsync(http, server);
            using var refused = await http.GetAsync("probe?target=ee311.test&mode=mx");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("127.0.0.11 is a loopback address", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var literal = await http.GetAsync("probe?target=169.254.169.254:80&mode=host");
            Assert.Equal(HttpStatusCode.Forbidden, literal.StatusCode);
            Assert.Contains("smtpdane_exporter_denied_total 2\n", await http.GetStringAsync("metrics"), StringComparison.Ordinal);
        }
        finally
        {
            await cts.CancelAsync();
        }

        Assert.Equal(0, await server);
    }

    private static async Task WaitUpAsync(HttpClient http, Task server)
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.False(server.IsCompleted, "serve exited early");
            try
            {
                using var r = await http.GetAsync("metrics");
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        Assert.Fail("exporter did not come up");
    }
}
