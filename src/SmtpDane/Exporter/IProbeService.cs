namespace SmtpDane.Exporter;

/// <summary>The check behind /probe, separate from HTTP so tests drive it without a socket.</summary>
public interface IProbeService
{
    /// <summary>The deadline a request gets: the scraper's timeout (null when it sent none), capped by -timeout.</summary>
    TimeSpan Deadline(TimeSpan? scrapeTimeout);

    /// <param name="deadline">From <see cref="Deadline"/>; the answer may come up to it.</param>
    Task<ProbeAnswer> ProbeAsync(string? target, string? mode, string? service, TimeSpan deadline, CancellationToken ct);
}

/// <summary>An HTTP status and body: 200 with metrics, 400 bad request, 403 not allowed, 503 busy.</summary>
public sealed record ProbeAnswer(int Status, string Body);
