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
/// Runs /probe checks from typed <see cref="ScrapeRequest"/>s: targets outside the allow-list get
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

    private readonly IDnsResolver _dns;
    private readonly IConnector _connector;
    private readonly ProbeSettings _settings;
    private readonly KnownCaStore? _knownCas;
    private readonly TimeProvider _time;
    private readonly ExporterCounters _counters;
    private readonly ServiceTable _services;
    private readonly TimeSpan _cacheTtl;
    private readonly ProbeSlots _queue;
    private readonly TargetAllowList _allow;
    private readonly Dictionary<string, (long Created, Task<ProbeAnswer> Answer)> _cache = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationToken _serverCt;

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
        _dns = dns;
        _connector = connector;
        _settings = settings;
        _knownCas = knownCas;
        _time = time;
        _counters = counters;
        _services = services;
        _allow = allow;
        _cacheTtl = cacheTtl;
        _serverCt = serverCt;
        _queue = new ProbeSlots(limits.ParallelProbes, limits.MaxWaitingProbes, time);
    }

    /// <summary>Checks waiting for a probe slot now.</summary>
    public int WaitingChecks => _queue.Waiting;

    /// <summary>The deadline a request gets: the scraper's, capped by -timeout.</summary>
    public TimeSpan Deadline(TimeSpan? scrapeTimeout) =>
        scrapeTimeout is { } t && t < _settings.OverallTimeout ? t : _settings.OverallTimeout;

    public Task<ProbeAnswer> ProbeAsync(string? target, string? mode, string? service, TimeSpan deadline, CancellationToken ct)
    {
        if (!ScrapeRequest.TryParse(target, mode, service, _services, out var request, out var error))
        {
            return Task.FromResult(new ProbeAnswer(400, error + "\n"));
        }

        if (_allow.DenyName(request!.Probe.Target.Name) is { } why)
        {
            _counters.Denied();
            return Task.FromResult(new ProbeAnswer(403, why + "\n"));
        }

        if (System.Net.IPAddress.TryParse(request.Probe.Target.Name, out var literal)
            && _allow.DenyAddress(literal, request.Probe.Target.Port ?? _settings.DefaultPort) is { } whyAddress)
        {
            _counters.Denied();
            return Task.FromResult(new ProbeAnswer(403, whyAddress + "\n"));
        }

        var arrived = _time.GetTimestamp();
        lock (_gate)
        {
            if (_cache.TryGetValue(request.Key, out var entry) && (!entry.Answer.IsCompleted || _time.GetElapsedTime(entry.Created) < _cacheTtl))
            {
                _counters.CacheHit();
                return entry.Answer;
            }

            var answer = CheckAsync(request, deadline, arrived);
            if (_cacheTtl > TimeSpan.Zero)
            {
                Prune();
                if (_cache.Count < MaxCacheEntries)
                {
                    _cache[request.Key] = (arrived, answer);
                }
            }

            return answer;
        }
    }

    public void Dispose() => _queue.Dispose();

    /// <summary>Under the lock: drop finished entries older than the TTL.</summary>
    private void Prune()
    {
        foreach (var (key, entry) in _cache.ToList())
        {
            if (entry.Answer.IsCompleted && _time.GetElapsedTime(entry.Created) >= _cacheTtl)
            {
                _cache.Remove(key);
            }
        }
    }

    private async Task<ProbeAnswer> CheckAsync(ScrapeRequest request, TimeSpan deadline, long arrived)
    {
        await Task.Yield();
        var minRun = deadline / 2 < MinProbeTime ? deadline / 2 : MinProbeTime;
        switch (await _queue.EnterAsync(deadline - minRun - _time.GetElapsedTime(arrived), _serverCt).ConfigureAwait(false))
        {
            case ProbeSlotOutcome.QueueFull:
                _counters.Rejected();
                return new ProbeAnswer(503, "too many checks waiting for a probe slot; raise -parallel or scrape less often\n");
            case ProbeSlotOutcome.NoSlotInTime:
                _counters.Rejected();
                return new ProbeAnswer(503, $"no probe slot became free within this request's {deadline.TotalSeconds:0.###}s; raise -parallel or scrape less often\n");
        }

        var remaining = deadline - _time.GetElapsedTime(arrived);
        if (remaining < minRun)
        {
            // The slot came too late to do anything useful: never start with no time left.
            _queue.Exit();
            _counters.Rejected();
            return new ProbeAnswer(503, $"a probe slot became free too late for this request's {deadline.TotalSeconds:0.###}s; raise -parallel or scrape less often\n");
        }

        _counters.ProbeStarted();
        var success = false;
        try
        {
            // serve -mta-sts adds the MTA-STS check to mode=mx as well; mode=mta-sts always has it.
            var probe = request.Probe with { MtaSts = request.Probe.MtaSts || (request.ModeName == "mx" && _settings.MtaSts) };
            var lineSettings = _settings with
            {
                OverallTimeout = remaining,
                ConnectTimeout = _settings.ConnectTimeout < remaining ? _settings.ConnectTimeout : remaining,
                StepTimeout = _settings.StepTimeout < remaining ? _settings.StepTimeout : remaining,
            };
            var guarded = new AllowListConnector(_connector, _allow);
            var runner = new ProbeRunner(_dns, guarded, lineSettings, _knownCas, _time);
            var result = await runner.RunAsync([probe], _serverCt).ConfigureAwait(false);
            if (guarded.Refused.Count > 0)
            {
                _counters.Denied();
                return new ProbeAnswer(403, $"refused by -allow-targets: {guarded.Refused.First()}\n");
            }

            success = ExitCodes.EffectiveWorst(result) < Severity.Error;
            return new ProbeAnswer(200, ProbeMetrics.Render(result, request.ModeName));
        }
        finally
        {
            _counters.ProbeFinished(success);
            _queue.Exit();
        }
    }
}
