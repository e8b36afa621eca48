using System.Collections.Concurrent;

namespace SmtpDane.Exporter;

/// <summary>The exporter's own counters, shown on /metrics. Thread-safe; paths outside a fixed set count as "other".</summary>
public sealed class ExporterCounters
{
    private readonly ConcurrentDictionary<string, long> requests = new(StringComparer.Ordinal);
    private long probes;
    private long probeFailures;
    private long cacheHits;
    private long rejected;
    private long inFlight;

    public void Request(string path) =>
        requests.AddOrUpdate(path is "/probe" or "/metrics" or "/" ? path : "other", 1, (_, n) => n + 1);

    public void ProbeStarted() => Interlocked.Increment(ref inFlight);

    public void ProbeFinished(bool success)
    {
        Interlocked.Decrement(ref inFlight);
        Interlocked.Increment(ref probes);
        if (!success)
        {
            Interlocked.Increment(ref probeFailures);
        }
    }

    public void CacheHit() => Interlocked.Increment(ref cacheHits);

    public void Rejected() => Interlocked.Increment(ref rejected);

    public string Render()
    {
        var text = new PrometheusText();
        text.Family("smtpdane_exporter_requests_total", "counter", "HTTP requests by path.");
        foreach (var (path, n) in requests.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Sample("smtpdane_exporter_requests_total", n, ("path", path));
        }

        text.Family("smtpdane_exporter_probes_total", "counter", "Checks run (cache misses).")
            .Sample("smtpdane_exporter_probes_total", Interlocked.Read(ref probes));
        text.Family("smtpdane_exporter_probe_failures_total", "counter", "Checks whose verdict was an error.")
            .Sample("smtpdane_exporter_probe_failures_total", Interlocked.Read(ref probeFailures));
        text.Family("smtpdane_exporter_cache_hits_total", "counter", "/probe requests answered from the result cache.")
            .Sample("smtpdane_exporter_cache_hits_total", Interlocked.Read(ref cacheHits));
        text.Family("smtpdane_exporter_rejected_total", "counter", "Requests refused with 503 (too many at once, or no probe slot in time).")
            .Sample("smtpdane_exporter_rejected_total", Interlocked.Read(ref rejected));
        text.Family("smtpdane_exporter_probes_in_flight", "gauge", "Checks running now.")
            .Sample("smtpdane_exporter_probes_in_flight", Interlocked.Read(ref inFlight));
        return text.ToString();
    }
}
