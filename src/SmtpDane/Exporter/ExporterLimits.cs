namespace SmtpDane.Exporter;

/// <summary>
/// The exporter's resource limits, all explicit so that a hostile client or a careless scraper
/// meets a bound instead of the process's own (file descriptors, memory). Defaults suit one
/// Prometheus pair scraping a few hundred targets.
/// </summary>
public sealed record ExporterLimits
{
    /// <summary>HTTP connections open at once; more get a 503 and are closed.</summary>
    public int MaxConnections { get; init; } = 4096;

    /// <summary>Checks running at once (-parallel).</summary>
    public int ParallelProbes { get; init; } = 32;

    /// <summary>Requests waiting for a check slot; more get a 503 at once.</summary>
    public int MaxWaitingProbes { get; init; } = 128;

    /// <summary>Time a client has to send its request line and headers (slowloris bound).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>An idle kept-alive connection is closed after this.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxRequestLineSize { get; init; } = 4096;

    public int MaxRequestHeadersTotalSize { get; init; } = 16 * 1024;

    public int MaxRequestHeaderCount { get; init; } = 64;

    /// <summary>GET and HEAD only: any body beyond this gets 413.</summary>
    public long MaxRequestBodySize { get; init; } = 1024;

    /// <summary>A response is sent at most this long after the request's own deadline.</summary>
    public TimeSpan ResponseMargin { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Descriptors kept free beyond those open at start-up: DNS sockets, files, libraries loaded later.</summary>
    public const int HeadroomDescriptors = 48;

    /// <summary>
    /// Lowers <see cref="ParallelProbes"/> and <see cref="MaxConnections"/> so that what is open
    /// now, plus checks (one SMTP and one DNS socket each), plus connections and refusals in
    /// progress, stays under the process's descriptor limit: running out of descriptors must
    /// make clients wait or be refused, never crash the process. Unchanged when the limit is unknown.
    /// </summary>
    public ExporterLimits FitTo(long? descriptorLimit, int openNow)
    {
        if (descriptorLimit is not { } limit)
        {
            return this;
        }

        var budget = limit - openNow - HeadroomDescriptors;
        var parallel = (int)Math.Clamp(budget / 4, 1, ParallelProbes);
        var connections = (int)Math.Clamp(budget - (2L * parallel) - ConnectionGate.MaxRefusing, Math.Min(8, MaxConnections), MaxConnections);
        return this with { ParallelProbes = parallel, MaxWaitingProbes = Math.Min(MaxWaitingProbes, parallel * 4), MaxConnections = connections };
    }

    /// <summary>Descriptors open in this process now; 0 when unknown.</summary>
    public static int OpenDescriptors()
    {
        try
        {
            return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>The soft RLIMIT_NOFILE from /proc/self/limits; null when unreadable or unlimited.</summary>
    public static long? DescriptorLimit()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return fields.Length > 0 && long.TryParse(fields[0], System.Globalization.CultureInfo.InvariantCulture, out var soft) ? soft : null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }
}
