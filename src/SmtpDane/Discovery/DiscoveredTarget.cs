using SmtpDane.Findings;
using SmtpDane.Model;


namespace SmtpDane.Discovery;

/// <summary>
/// What DNS said about one argument: target-level findings (MX/SRV lookup) and the hosts to
/// probe, in MX preference (or SRV priority, weight) order, then by name.
/// </summary>
public sealed record DiscoveredTarget(
    Target Target,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<DiscoveredHost> Hosts);
