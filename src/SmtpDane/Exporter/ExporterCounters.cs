using System.Collections.Concurrent;

namespace SmtpDane.Exporter;

/// <summary>The exporter's own counters, shown on /metrics. Thread-safe; paths outside a fixed set count as "other".</summary>
public sealed class ExporterCounters
{
    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);
    private long _probes;
    private long _probeFailures;
    private long _cacheHits;
    private long _rejected;
    private long _inFlight;
    private long _denied;
    private long _internalErrors;
    private long _timedOut;
    private long _connectionsRefused;
    private long _connections;
    private long _connectionsDropped;

    public void Request(string path) =>
        _requests.AddOrUpdate(path is "/probe" or "/metrics" or "/" ? path : "other", 1, (_, n) => n + 1);

    public void ProbeStarted() => Interlocked.Increment(ref _inFlight);

    public void ProbeFinished(bool success)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _probes);
        if (!success)
        {
            Interlocked.Increment(ref _probeFailures);
        }
    }

    public void CacheHit() => Interlocked.Increment(ref _cacheHits);

    public void Rejected() => Interlocked.Increment(ref _rejected);

    public void Denied() => Interlocked.Increment(ref _denied);

    public void InternalError() => Interlocked.Increment(ref _internalErrors);

    public void TimedOut() => Interlocked.Increment(ref _timedOut);

    public void ConnectionRefused() => Interlocked.Increment(ref _connectionsRefused);

    public void ConnectionDropped() => Interlocked.Increment(ref _connectionsDropped);

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    public string Render()
    {
        var text = new PrometheusText();
        text.Family("smtpdane_exporter_requests_total", "counter", "HTTP requests by path.");
        foreach (var (path, n) in _requests.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Sample("smtpdane_exporter_requests_total", n, ("path", path));
        }

        text.Metric("smtpdane_exporter_probes_total", "counter", "Checks run (cache misses).", Interlocked.Read(ref _probes));
        text.Metric("smtpdane_exporter_probe_failures_total", "counter", "Checks whose verdict was an error.", Interlocked.Read(ref _probeFailures));
        text.Metric("smtpdane_exporter_cache_hits_total", "counter", "/probe requests answered from the result cache.", Interlocked.Read(ref _cacheHits));
        text.Metric("smtpdane_exporter_rejected_total", "counter", "/probe requests refused with 503: probe queue full, or no probe slot in time.", Interlocked.Read(ref _rejected));
        text.Metric("smtpdane_exporter_probes_in_flight", "gauge", "Checks running now.", Interlocked.Read(ref _inFlight));
        text.Metric("smtpdane_exporter_denied_total", "counter", "/probe requests refused with 403 by -allow-targets.", Interlocked.Read(ref _denied));
        text.Metric("smtpdane_exporter_internal_errors_total", "counter", "Requests answered 500 because of an unexpected exception.", Interlocked.Read(ref _internalErrors));
        text.Metric("smtpdane_exporter_timeouts_total", "counter", "/probe requests answered 503 because the check outran the request's deadline.", Interlocked.Read(ref _timedOut));
        text.Metric("smtpdane_exporter_connections_refused_total", "counter", "HTTP connections answered 503 and closed because the connection limit was reached.", Interlocked.Read(ref _connectionsRefused));
        text.Metric("smtpdane_exporter_connections_dropped_total", "counter", "HTTP connections closed unanswered: over the connection limit while many refusals were under way.", Interlocked.Read(ref _connectionsDropped));
        text.Metric("smtpdane_exporter_connections", "gauge", "HTTP connections open now.", Interlocked.Read(ref _connections));
        return text.ToString();
    }
}
