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
/// Runs /probe checks from typed <see cref="ProbeRequest"/>s: targets outside the allow-list get
/// a 403, at most -parallel checks run and a bounded number wait (<see cref="ProbeSlots"/>), and
/// a result cache of <c>cacheTtl</c> lets several scrapers, or an HA pair, share one check (a
/// check in flight is shared too). A check starts only with time left to run: a request whose
/// deadline would pass in the queue gets a 503 instead, so no step ever gets a negative timeout.
/// </summary>
public sealed class ProbeService : IProbeService, IDisposable
{
    public const int MaxCacheEntries = 1024;

    /// <summary>The least time a check is started with; it needs a connect, a banner and a handshake.</summary>
    public static readonly TimeSpan MinProbeTime = TimeSpan.FromSeconds(1);

    private readonly IDnsResolver dns;
    private readonly IConnector connector;
    private readonly ProbeSettings settings;
    private readonly KnownCaStore? knownCas;
    private readonly TimeProvider time;
    private readonly ExporterCounters counters;
    private readonly ServiceTable services;
    private readonly TimeSpan cacheTtl;
    private readonly ProbeSlots queue;
    private readonly TargetAllowList allow;
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
        ExporterLimits limits,
        TargetAllowList allow,
        TimeSpan cacheTtl,
        CancellationToken serverCt)
    {
        ArgumentNullException.ThrowIfNull(limits);
        this.dns = dns;
        this.connector = connector;
        this.settings = settings;
        this.knownCas = knownCas;
        this.time = time;
        this.counters = counters;
        this.services = services;
        this.allow = allow;
        this.cacheTtl = cacheTtl;
        this.serverCt = serverCt;
        queue = new ProbeSlots(limits.ParallelProbes, limits.MaxWaitingProbes, time);
    }

    /// <summary>Checks waiting for a probe slot now.</summary>
    public int WaitingChecks => queue.Waiting;

    /// <summary>The deadline a request gets: the scraper's, capped by -timeout.</summary>
    public TimeSpan Deadline(TimeSpan? scrapeTimeout) =>
        scrapeTimeout is { } t && t < settings.OverallTimeout ? t : settings.OverallTimeout;

    public Task<ProbeAnswer> ProbeAsync(string? target, string? mode, string? service, TimeSpan deadline, CancellationToken ct)
    {
        if (!ProbeRequest.TryParse(target, mode, service, services, out var request, out var error))
        {
            return Task.FromResult(new ProbeAnswer(400, error + "\n"));
        }

        if (allow.DenyName(request!.Target.Name) is { } why)
        {
            counters.Denied();
            return Task.FromResult(new ProbeAnswer(403, why + "\n"));
        }

        if (System.Net.IPAddress.TryParse(request.Target.Name, out var literal)
            && allow.DenyAddress(literal, request.Target.Port ?? settings.DefaultPort) is { } whyAddress)
        {
            counters.Denied();
            return Task.FromResult(new ProbeAnswer(403, whyAddress + "\n"));
        }

        var arrived = time.GetTimestamp();
        lock (gate)
        {
            if (cache.TryGetValue(request.Key, out var entry) && (!entry.Answer.IsCompleted || time.GetElapsedTime(entry.Created) < cacheTtl))
            {
                counters.CacheHit();
                return entry.Answer;
            }

            var answer = CheckAsync(request, deadline, arrived);
            if (cacheTtl > TimeSpan.Zero)
            {
                Prune();
                if (cache.Count < MaxCacheEntries)
                {
                    cache[request.Key] = (arrived, answer);
                }
            }

            return answer;
        }
    }

    public void Dispose() => queue.Dispose();

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

    private async Task<ProbeAnswer> CheckAsync(ProbeRequest request, TimeSpan deadline, long arrived)
    {
        await Task.Yield();
        var minRun = deadline / 2 < MinProbeTime ? deadline / 2 : MinProbeTime;
        switch (await queue.EnterAsync(deadline - minRun - time.GetElapsedTime(arrived), serverCt).ConfigureAwait(false))
        {
            case ProbeSlotOutcome.QueueFull:
                counters.Rejected();
                return new ProbeAnswer(503, "too many checks waiting for a probe slot; raise -parallel or scrape less often\n");
            case ProbeSlotOutcome.NoSlotInTime:
                counters.Rejected();
                return new ProbeAnswer(503, $"no probe slot became free within this request's {deadline.TotalSeconds:0.###}s; raise -parallel or scrape less often\n");
        }

        var remaining = deadline - time.GetElapsedTime(arrived);
        if (remaining < minRun)
        {
            // The slot came too late to do anything useful: never start with no time left.
            queue.Exit();
            counters.Rejected();
            return new ProbeAnswer(503, $"a probe slot became free too late for this request's {deadline.TotalSeconds:0.###}s; raise -parallel or scrape less often\n");
        }

        counters.ProbeStarted();
        var success = false;
        try
        {
            var lineSettings = settings with
            {
                Mode = request.Target.Mode,
                SrvService = request.SrvService,
                TlsOnConnect = request.TlsOnConnect,
                MtaSts = request.MtaSts || (request.ModeName == "mx" && settings.MtaSts),
                OverallTimeout = remaining,
                ConnectTimeout = settings.ConnectTimeout < remaining ? settings.ConnectTimeout : remaining,
                StepTimeout = settings.StepTimeout < remaining ? settings.StepTimeout : remaining,
            };
            var guarded = new AllowListConnector(connector, allow);
            var runner = new ProbeRunner(dns, guarded, lineSettings, knownCas, time);
            var result = await runner.RunAsync([request.Target], serverCt).ConfigureAwait(false);
            if (guarded.Refused.Count > 0)
            {
                counters.Denied();
                return new ProbeAnswer(403, $"refused by -allow-targets: {guarded.Refused.First()}\n");
            }

            success = ExitCodes.EffectiveWorst(result) < Severity.Error;
            return new ProbeAnswer(200, ProbeMetrics.Render(result, request.ModeName));
        }
        finally
        {
            counters.ProbeFinished(success);
            queue.Exit();
        }
    }
}
