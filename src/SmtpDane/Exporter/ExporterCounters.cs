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

        text.Family("smtpdane_exporter_probes_total", "counter", "Checks run (cache misses).")
            .Sample("smtpdane_exporter_probes_total", Interlocked.Read(ref _probes));
        text.Family("smtpdane_exporter_probe_failures_total", "counter", "Checks whose verdict was an error.")
            .Sample("smtpdane_exporter_probe_failures_total", Interlocked.Read(ref _probeFailures));
        text.Family("smtpdane_exporter_cache_hits_total", "counter", "/probe requests answered from the result cache.")
            .Sample("smtpdane_exporter_cache_hits_total", Interlocked.Read(ref _cacheHits));
        text.Family("smtpdane_exporter_rejected_total", "counter", "/probe requests refused with 503: probe queue full, or no probe slot in time.")
            .Sample("smtpdane_exporter_rejected_total", Interlocked.Read(ref _rejected));
        text.Family("smtpdane_exporter_probes_in_flight", "gauge", "Checks running now.")
            .Sample("smtpdane_exporter_probes_in_flight", Interlocked.Read(ref _inFlight));
        text.Family("smtpdane_exporter_denied_total", "counter", "/probe requests refused with 403 by -allow-targets.")
            .Sample("smtpdane_exporter_denied_total", Interlocked.Read(ref _denied));
        text.Family("smtpdane_exporter_internal_errors_total", "counter", "Requests answered 500 because of an unexpected exception.")
            .Sample("smtpdane_exporter_internal_errors_total", Interlocked.Read(ref _internalErrors));
        text.Family("smtpdane_exporter_timeouts_total", "counter", "/probe requests answered 503 because the check outran the request's deadline.")
            .Sample("smtpdane_exporter_timeouts_total", Interlocked.Read(ref _timedOut));
        text.Family("smtpdane_exporter_connections_refused_total", "counter", "HTTP connections answered 503 and closed because the connection limit was reached.")
            .Sample("smtpdane_exporter_connections_refused_total", Interlocked.Read(ref _connectionsRefused));
        text.Family("smtpdane_exporter_connections_dropped_total", "counter", "HTTP connections closed unanswered: over the connection limit while many refusals were under way.")
            .Sample("smtpdane_exporter_connections_dropped_total", Interlocked.Read(ref _connectionsDropped));
        text.Family("smtpdane_exporter_connections", "gauge", "HTTP connections open now.")
            .Sample("smtpdane_exporter_connections", Interlocked.Read(ref _connections));
        return text.ToString();
    }
}
