using SmtpDane.Model;
using SmtpDane.Reporting;


namespace SmtpDane.Cli;

/// <summary>A validated command line: frozen settings for the probe and the renderers.</summary>
/// <param name="Probe">Everything <c>Probing/</c> needs.</param>
/// <param name="Output">Everything <c>Reporting/</c> needs.</param>
/// <param name="Requests">One per host argument, in command-line order (at least one).</param>
/// <param name="NagiosExitCodes">-nagios: exit 0/1/2/3 = OK/WARNING/CRITICAL/UNKNOWN, errors on stdout.</param>
/// <param name="DnssecMode"><see cref="DnssecResolver"/> (trust the resolver's AD bit) or <see cref="DnssecLocal"/>.</param>
/// <param name="TrustAnchorFile">-trust-anchor, stored for local validation; not read here.</param>
/// <param name="Debug">-debug.</param>
public sealed record CliOptions(
    ProbeSettings Probe,
    OutputOptions Output,
    IReadOnlyList<ProbeRequest> Requests,
    bool NagiosExitCodes,
    string DnssecMode,
    string? TrustAnchorFile,
    bool Debug)
{
    public const string DnssecResolver = "resolver";

    /// <summary>The targets of <see cref="Requests"/>.</summary>
    public IEnumerable<Target> Targets => Requests.Select(r => r.Target);

    /// <summary>-f: a batch run; <see cref="Requests"/> is then empty.</summary>
    public BatchOptions? Batch { get; init; }

    /// <summary><c>smtpdane serve</c>: the Prometheus exporter; <see cref="Requests"/> is then empty.</summary>
    public ServeOptions? Serve { get; init; }

    public const string DnssecLocal = "local";
}
