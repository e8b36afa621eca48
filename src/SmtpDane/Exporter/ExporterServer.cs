using System.Globalization;
using System.Net;
using System.Text;

namespace SmtpDane.Exporter;

/// <summary>
/// The Prometheus exporter's HTTP side (System.Net.HttpListener: no ASP.NET Core, NativeAOT-clean).
/// <c>GET /probe?target=example.org&amp;mode=mx</c> runs one check through <see cref="IProbeService"/>;
/// <c>GET /metrics</c> shows the exporter's own counters. At most <paramref name="maxRequests"/>
/// requests are handled at once; more get 503 at once, so a scrape storm cannot pile up work.
/// </summary>
public sealed class ExporterServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly IProbeService probes;
    private readonly ExporterCounters counters;
    private readonly SemaphoreSlim requestSlots;

    public ExporterServer(string prefix, IProbeService probes, ExporterCounters counters, int maxRequests)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        this.probes = probes;
        this.counters = counters;
        requestSlots = new SemaphoreSlim(maxRequests, maxRequests);
        listener.Prefixes.Add(prefix);
    }

    /// <summary>"127.0.0.1:9125" → "http://127.0.0.1:9125/"; "*:9125" listens on every address.</summary>
    public static string Prefix(string listen) => $"http://{listen}/";

    /// <summary>Serves until <paramref name="ct"/> is cancelled. Throws <see cref="HttpListenerException"/> when the address cannot be bound.</summary>
    public async Task RunAsync(Action? started, CancellationToken ct)
    {
        listener.Start();
        started?.Invoke();
        using var registration = ct.Register(listener.Stop);
        var handlers = new List<Task>();
        while (!ct.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (ct.IsCancellationRequested && e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }

            handlers.RemoveAll(t => t.IsCompleted);
            if (!requestSlots.Wait(0, CancellationToken.None))
            {
                counters.Rejected();
                _ = RespondAsync(context, 503, "text/plain; charset=utf-8", "too many concurrent requests\n");
                continue;
            }

            handlers.Add(HandleAsync(context, ct));
        }

        await Task.WhenAll(handlers).ConfigureAwait(false);
    }

    public void Dispose()
    {
        ((IDisposable)listener).Dispose();
        requestSlots.Dispose();
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken ct)
    {
        try
        {
            var request = context.Request;
            var path = request.Url?.AbsolutePath ?? "/";
            counters.Request(path);
            if (request.HttpMethod is not ("GET" or "HEAD"))
            {
                await RespondAsync(context, 405, "text/plain; charset=utf-8", "only GET\n").ConfigureAwait(false);
                return;
            }

            switch (path)
            {
                case "/probe":
                    var timeout = ScrapeTimeout(request.Headers["X-Prometheus-Scrape-Timeout-Seconds"]);
                    var answer = await probes.ProbeAsync(request.QueryString["target"], request.QueryString["mode"], request.QueryString["service"], timeout, ct).ConfigureAwait(false);
                    await RespondAsync(context, answer.Status, answer.Status == 200 ? PrometheusText.ContentType : "text/plain; charset=utf-8", answer.Body).ConfigureAwait(false);
                    break;
                case "/metrics":
                    await RespondAsync(context, 200, PrometheusText.ContentType, counters.Render()).ConfigureAwait(false);
                    break;
                case "/":
                    await RespondAsync(context, 200, "text/html; charset=utf-8", "<html><body><h1>smtpdane exporter</h1><p><a href=\"/probe?target=example.org&amp;mode=mx\">/probe?target=example.org&amp;mode=mx</a> <a href=\"/metrics\">/metrics</a></p></body></html>\n").ConfigureAwait(false);
                    break;
                default:
                    await RespondAsync(context, 404, "text/plain; charset=utf-8", "not found\n").ConfigureAwait(false);
                    break;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            context.Response.Abort();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The scraper went away.
        }
        finally
        {
            requestSlots.Release();
        }
    }

    /// <summary>Prometheus sends its scrape timeout; answer half a second before it, as blackbox_exporter does. Null when absent or unusable.</summary>
    internal static TimeSpan? ScrapeTimeout(string? header)
    {
        if (header is null || !double.TryParse(header, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds) || seconds <= 0)
        {
            return null;
        }

        return TimeSpan.FromSeconds(Math.Clamp(seconds - 0.5, 0.5, 3600));
    }

    private static async Task RespondAsync(HttpListenerContext context, int status, string contentType, string body)
    {
        try
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var response = context.Response;
            response.StatusCode = status;
            response.ContentType = contentType;
            response.ContentLength64 = bytes.Length;
            if (context.Request.HttpMethod != "HEAD")
            {
                await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            }

            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The scraper went away.
        }
    }
}
