namespace SmtpDane.Cli;

/// <summary>
/// <c>smtpdane serve</c>: the Prometheus exporter.
/// </summary>
/// <param name="Listen">-listen host:port (an IP literal or "localhost"; "[::]" or "*" for every address).</param>
/// <param name="Parallel">-parallel: probes at once; further requests wait for a slot within their timeout.</param>
/// <param name="CacheTtl">-cache-ttl: how long a result answers identical /probe requests.</param>
/// <param name="AllowTargets">-allow-targets, parsed.</param>
/// <param name="MaxConnections">-max-connections: HTTP connections at once.</param>
public sealed record ServeOptions(string Listen, int Parallel, TimeSpan CacheTtl, SmtpDane.Exporter.TargetAllowList AllowTargets, int MaxConnections);
