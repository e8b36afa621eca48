using SmtpDane.Batch;
using SmtpDane.Targets;


namespace SmtpDane.Cli;

/// <summary>-f and its companions: where the targets come from and how hard to run them.</summary>
/// <param name="File">A path, or "-" for standard input.</param>
/// <param name="Parallel">-parallel: probes (TCP/SMTP/TLS) at once.</param>
/// <param name="DnsParallel">-dns-parallel: DNS queries at once.</param>
/// <param name="Shard">-shard K/N; <see cref="ShardSpec.All"/> when not given.</param>
/// <param name="Services">Port names for ports written in the file.</param>
public sealed record BatchOptions(string File, int Parallel, int DnsParallel, ShardSpec Shard, ServiceTable Services);
