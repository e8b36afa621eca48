namespace SmtpDane.Exporter;

/// <summary>The check behind /probe, separate from HTTP so tests drive it without a socket.</summary>
public interface IProbeService
{
    /// <param name="timeout">From the scraper's header; null for the configured -timeout.</param>
    Task<ProbeAnswer> ProbeAsync(string? target, string? mode, string? service, TimeSpan? timeout, CancellationToken ct);
}

/// <summary>An HTTP status and body: 200 with metrics, 400 for a bad request, 503 when busy.</summary>
public sealed record ProbeAnswer(int Status, string Body);
