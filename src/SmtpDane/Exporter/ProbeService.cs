using SmtpDane.Batch;
using SmtpDane.Dane;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.Net;
using SmtpDane.Probing;
using SmtpDane.Reporting;
using SmtpDane.Targets;



namespace SmtpDane.Exporter;

/// <summary>
/// Runs /probe checks: target and mode parsed as a -f line ("mx example.org"), at most
/// <c>parallel</c> checks at once (a request waits for a slot within its timeout, else 503), and
/// a result cache of <c>cacheTtl</c> so several scrapers, or an HA pair, cost one check. A check in
/// flight is shared too. The timeout is the scraper's (minus 0.5 s), capped by -timeout.
/// </summary>
public sealed class ProbeService : IProbeService, IDisposable
{
    public const int MaxCacheEntries = 1024;

    private readonly IDnsResolver dns;
    private readonly IConnector connector;
    private readonly ProbeSettings settings;
    private readonly KnownCaStore? knownCas;
    private readonly TimeProvider time;
    private readonly ExporterCounters counters;
    private readonly ServiceTable services;
    private readonly TimeSpan cacheTtl;
    private readonly SemaphoreSlim slots;
    private readonly Dictionary<string, (long Created, Task<ProbeAnswer> Answer)> cache = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly CancellationToken serverCt;

    public ProbeService(
        IDnsResolver dns,
        IConnector connector,
        ProbeSettings settings,
        KnownCaStore? knownCas,
        TimeProvider time,
        ExporterCounters counters,
        ServiceTable services,
        int parallel,
        TimeSpan cacheTtl,
        CancellationToken serverCt)
    {
        this.dns = dns;
        this.connector = connector;
        this.settings = settings;
        this.knownCas = knownCas;
        this.time = time;
        this.counters = counters;
        this.services = services;
        this.cacheTtl = cacheTtl;
        this.serverCt = serverCt;
        slots = new SemaphoreSlim(parallel, parallel);
    }

    public async Task<ProbeAnswer> ProbeAsync(string? target, string? mode, string? service, TimeSpan? timeout, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            return new ProbeAnswer(400, "missing target parameter: /probe?target=example.org&mode=mx\n");
        }

        mode = string.IsNullOrEmpty(mode) ? "mx" : mode.ToLowerInvariant();
        if (mode is not ("mx" or "host" or "submission" or "submissions" or "srv" or "mta-sts"))
        {
            return new ProbeAnswer(400, "mode must be mx, mta-sts, host, submission, submissions or srv\n");
        }

        // mode=mta-sts: an MX check plus MTA-STS/TLS-RPT (as "serve -mta-sts" does for every mode=mx).
        var mtaSts = mode == "mta-sts" || (mode == "mx" && settings.MtaSts);
        var label = mode;
        mode = mode == "mta-sts" ? "mx" : mode;

        if (mode == "srv" && string.IsNullOrWhiteSpace(service))
        {
            return new ProbeAnswer(400, "mode=srv needs service=NAME\n");
        }

        var line = mode == "srv" ? $"srv {service} {target}" : $"{mode} {target}";
        if (line.Length > TargetFileParser.MaxLineLength || line.Contains('#', StringComparison.Ordinal) || line.Any(char.IsControl))
        {
            return new ProbeAnswer(400, "target too long or not printable\n");
        }

        var parsed = new TargetFileParser(TargetMode.Mx, null, false, services).Parse(line, 1);
        if (parsed?.Target is null)
        {
            return new ProbeAnswer(400, (parsed?.Error ?? "bad target").Replace("line 1: ", string.Empty, StringComparison.Ordinal) + "\n");
        }

        var deadline = timeout is { } t && t < settings.OverallTimeout ? t : settings.OverallTimeout;
        var key = label + " " + parsed.Normalized;
        Task<ProbeAnswer> answer;
        lock (gate)
        {
            var now = time.GetTimestamp();
            if (cache.TryGetValue(key, out var entry) && (!entry.Answer.IsCompleted || time.GetElapsedTime(entry.Created) < cacheTtl))
            {
                counters.CacheHit();
                answer = entry.Answer;
            }
            else
            {
                answer = CheckAsync(parsed, mtaSts, label, deadline);
                if (cacheTtl > TimeSpan.Zero)
                {
                    Prune();
                    if (cache.Count < MaxCacheEntries)
                    {
                        cache[key] = (now, answer);
                    }
                }
            }
        }

        try
        {
            return await answer.WaitAsync(deadline + TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new ProbeAnswer(503, "the shared check did not finish within this request's timeout\n");
        }
    }

    public void Dispose() => slots.Dispose();

    /// <summary>Under the lock: drop finished entries older than the TTL.</summary>
    private void Prune()
    {
        foreach (var (key, entry) in cache.ToList())
        {
            if (entry.Answer.IsCompleted && time.GetElapsedTime(entry.Created) >= cacheTtl)
            {
                cache.Remove(key);
            }
        }
    }

    private async Task<ProbeAnswer> CheckAsync(BatchTarget line, bool mtaSts, string label, TimeSpan deadline)
    {
        await Task.Yield();
        var startTicks = time.GetTimestamp();
        if (!await slots.WaitAsync(deadline, serverCt).ConfigureAwait(false))
        {
            counters.Rejected();
            return new ProbeAnswer(503, "all probe slots busy; raise -parallel or scrape less often\n");
        }

        counters.ProbeStarted();
        var success = false;
        try
        {
            var remaining = deadline - time.GetElapsedTime(startTicks);
            var lineSettings = settings with
            {
                Mode = line.Target!.Mode,
                SrvService = line.SrvService,
                TlsOnConnect = line.TlsOnConnect,
                MtaSts = mtaSts,
                OverallTimeout = remaining > TimeSpan.FromMilliseconds(100) ? remaining : TimeSpan.FromMilliseconds(100),
                ConnectTimeout = settings.ConnectTimeout < remaining ? settings.ConnectTimeout : remaining,
                StepTimeout = settings.StepTimeout < remaining ? settings.StepTimeout : remaining,
            };
            var runner = new ProbeRunner(dns, connector, lineSettings, knownCas, time);
            var result = await runner.RunAsync([line.Target], serverCt).ConfigureAwait(false);
            success = ExitCodes.EffectiveWorst(result) < Severity.Error;
            return new ProbeAnswer(200, ProbeMetrics.Render(result, label));
        }
        finally
        {
            counters.ProbeFinished(success);
            slots.Release();
        }
    }
}
