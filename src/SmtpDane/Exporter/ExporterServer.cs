using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SmtpDane.Exporter;

/// <summary>
/// The Prometheus exporter's HTTP side on Kestrel (WebApplication.CreateSlimBuilder, one terminal
/// middleware, no reflection: NativeAOT-clean). <c>GET /probe?target=example.org&amp;mode=mx</c>
/// runs one check through <see cref="IProbeService"/>; <c>GET /metrics</c> shows the exporter's
/// own counters. Every request is answered exactly once, by its deadline plus
/// <see cref="ExporterLimits.ResponseMargin"/>, whatever the check does: an unexpected exception
/// becomes a 500 with a one-line reason, a check that outruns the deadline a 503.
/// </summary>
public sealed class ExporterServer
{
    /// <summary>listen(2) backlog; Linux caps it at net.core.somaxconn (4096 by default since 5.4).</summary>
    public const int ListenBacklog = 4096;

    private const string PlainText = "text/plain; charset=utf-8";

    private readonly IPEndPoint _endpoint;
    private readonly IProbeService _probes;
    private readonly ExporterCounters _counters;
    private readonly ExporterLimits _limits;
    private readonly TimeProvider _time;

    public ExporterServer(IPEndPoint endpoint, IProbeService probes, ExporterCounters counters, ExporterLimits limits, TimeProvider time)
    {
        _endpoint = endpoint;
        _probes = probes;
        _counters = counters;
        _limits = limits;
        _time = time;
    }

    /// <summary>Serves until <paramref name="ct"/> is cancelled. Throws <see cref="IOException"/> when the address cannot be bound.</summary>
    public async Task RunAsync(Action? started, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();

        // No appsettings.json or ASPNETCORE_* variables: nothing beside the binary or in the
        // environment may add a listener or change a limit behind the command line's back.
        builder.Configuration.Sources.Clear();
        var gate = new ConnectionGate(_limits.MaxConnections, _counters);

        // Connections beyond the accept bound wait in the kernel's queue; a short queue overflows
        // and the kernel resets them after its SYN-ACK retries (about 16 s), unanswered.
        builder.Services.Configure<SocketTransportOptions>(o => o.Backlog = ListenBacklog);

        // Last registration wins: Kestrel's socket transport, bounded (see BoundedListenerFactory).
        builder.Services.AddSingleton<IConnectionListenerFactory>(services => new BoundedListenerFactory(
            new SocketTransportFactory(services.GetRequiredService<IOptions<SocketTransportOptions>>(), services.GetRequiredService<ILoggerFactory>()),
            _limits.MaxConnections + ConnectionGate.MaxRefusing));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var l = kestrel.Limits;
            l.MaxConcurrentConnections = null; // ConnectionGate answers the excess instead of dropping it
            l.MaxConcurrentUpgradedConnections = 0;
            l.RequestHeadersTimeout = _limits.RequestHeadersTimeout;
            l.KeepAliveTimeout = _limits.KeepAliveTimeout;
            l.MaxRequestLineSize = _limits.MaxRequestLineSize;
            l.MaxRequestHeadersTotalSize = _limits.MaxRequestHeadersTotalSize;
            l.MaxRequestHeaderCount = _limits.MaxRequestHeaderCount;
            l.MaxRequestBodySize = _limits.MaxRequestBodySize;
            l.MinResponseDataRate = new MinDataRate(240, TimeSpan.FromSeconds(5));
            kestrel.Listen(_endpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(gate.Wrap);
            });
        });
        var app = builder.Build();
        await using (app.ConfigureAwait(false))
        {
            app.Run(HandleAsync);
            await app.StartAsync(ct).ConfigureAwait(false);
            started?.Invoke();
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(stop.Token).ConfigureAwait(false);
        }
    }

    /// <summary>"127.0.0.1:9125", "[::1]:9125", "localhost:9125" (loopback), "*:9125" (every address).</summary>
    public static IPEndPoint Endpoint(string listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var colon = listen.LastIndexOf(':');
        var host = listen[..colon].Trim('[', ']');
        var port = int.Parse(listen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        var address = host switch
        {
            "*" => IPAddress.IPv6Any,
            "localhost" => IPAddress.Loopback,
            _ => IPAddress.Parse(host),
        };
        return new IPEndPoint(address, port);
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

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        _counters.Request(path);
        try
        {
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                context.Response.Headers.Allow = "GET, HEAD";
                await RespondAsync(context, 405, PlainText, "only GET and HEAD\n").ConfigureAwait(false);
                return;
            }

            switch (path)
            {
                case "/probe":
                    await ProbeAsync(context).ConfigureAwait(false);
                    break;
                case "/metrics":
                    await RespondAsync(context, 200, PrometheusText.ContentType, _counters.Render()).ConfigureAwait(false);
                    break;
                case "/":
                    await RespondAsync(context, 200, "text/html; charset=utf-8", "<html><body><h1>smtpdane exporter</h1><p><a href=\"/probe?target=example.org&amp;mode=mx\">/probe?target=example.org&amp;mode=mx</a> <a href=\"/metrics\">/metrics</a></p></body></html>\n").ConfigureAwait(false);
                    break;
                default:
                    await RespondAsync(context, 404, PlainText, "not found\n").ConfigureAwait(false);
                    break;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The scraper went away; Kestrel closes the connection.
        }
        catch (Exception e)
        {
            _counters.InternalError();
            if (context.Response.HasStarted)
            {
                context.Abort();
            }
            else
            {
                context.Response.Clear();
                await RespondAsync(context, 500, PlainText, $"internal error: {OneLine(e)}\n").ConfigureAwait(false);
            }
        }
    }

    private async Task ProbeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["target"].Count > 1 || query["mode"].Count > 1 || query["service"].Count > 1)
        {
            await RespondAsync(context, 400, PlainText, "target, mode and service may each be given once\n").ConfigureAwait(false);
            return;
        }

        var deadline = _probes.Deadline(ScrapeTimeout(context.Request.Headers["X-Prometheus-Scrape-Timeout-Seconds"].ToString() is { Length: > 0 } h ? h : null));
        ProbeAnswer answer;
        var check = _probes.ProbeAsync(query["target"], query["mode"], query["service"], deadline, context.RequestAborted);
        try
        {
            answer = await check.WaitAsync(deadline + _limits.ResponseMargin, _time, context.RequestAborted).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!check.IsCompleted)
        {
            _counters.TimedOut();
            answer = new ProbeAnswer(503, $"the check did not finish within this request's {deadline.TotalSeconds:0.###}s\n");
        }

        await RespondAsync(context, answer.Status, answer.Status == 200 ? PrometheusText.ContentType : PlainText, answer.Body).ConfigureAwait(false);
    }

    private static async Task RespondAsync(HttpContext context, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Type and first line of the message, capped: no stack trace, no multi-line text in a response.</summary>
    private static string OneLine(Exception e)
    {
        var message = e.Message.ReplaceLineEndings(" ");
        message = message.Length > 200 ? message[..200] + "..." : message;
        return $"{e.GetType().Name}: {new string(message.Select(c => char.IsControl(c) ? '?' : c).ToArray())}";
    }
}
