using System.Net;
using SmtpDane.Dane;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Discovery;

/// <summary>
/// From one <see cref="Target"/> to the hosts to probe: MX or SRV lookup, then per host (in
/// parallel) the address and TLSA lookups. DNS trouble becomes findings, never exceptions;
/// only cancellation throws. Ports: the argument's port wins; else an SRV record's; else
/// <see cref="ProbeSettings.DefaultPort"/> (25 unless -port), for MX hosts too, as in the Go tool.
/// </summary>
public sealed class TargetDiscoverer
{
    private readonly IDnsResolver _dns;
    private readonly ProbeSettings _settings;
    private readonly HostDiscoverer _hosts;

    public TargetDiscoverer(IDnsResolver dns, ProbeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(settings);
        _dns = dns;
        _settings = settings;
        _hosts = new HostDiscoverer(dns, settings);
    }

    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    /// <exception cref="ArgumentException">SRV mode without <see cref="ProbeSettings.SrvService"/>.</exception>
    public Task<DiscoveredTarget> DiscoverAsync(Target target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Mode switch
        {
            TargetMode.Mx => DiscoverMxAsync(target, ct),
            TargetMode.Srv => DiscoverSrvAsync(target, ct),
            _ => DiscoverHostAsync(target, ct),
        };
    }

    private async Task<DiscoveredTarget> DiscoverHostAsync(Target target, CancellationToken ct)
    {
        var port = target.Port ?? _settings.DefaultPort;
        if (IPAddress.TryParse(target.Name, out var literal))
        {
            // TLSA records live under host names (RFC 6698 §3, RFC 7672 §2.2.3): none for a literal.
            var finding = Finding.Error(
                FindingCodes.TlsaNone,
                $"\"{target.Name}\" is an IP address, and TLSA records are published under host names, so DANE cannot apply; give the server's host name (or its mail domain with -mx) instead");
            var host = new DiscoveredHost(
                literal.ToString(), port, null, [finding], [literal], TlsaLookupOutcome.None, null, [], [],
                HostDiscoverer.ReferenceNames(_settings, null, null, null));
            return new DiscoveredTarget(target, [], [host]);
        }

        var name = Normalize(target.Name);
        var discovered = await _hosts.DiscoverAsync(name, port, null, null, viaMx: false, ct).ConfigureAwait(false);
        return new DiscoveredTarget(target, [], [discovered]);
    }

    private async Task<DiscoveredTarget> DiscoverMxAsync(Target target, CancellationToken ct)
    {
        var domain = Normalize(target.Name);
        var port = target.Port ?? _settings.DefaultPort;
        var findings = new List<Finding>();
        var answer = await SafeDns.QueryAsync(c => _dns.QueryMxAsync(domain, c), domain, ct).ConfigureAwait(false);

        if (answer.Outcome == DnsOutcome.Failed || answer.Security is DnsSecurity.Bogus or DnsSecurity.Indeterminate)
        {
            findings.Add(Finding.Error(
                FindingCodes.MxLookupFailed,
                $"MX lookup for \"{domain}\" failed: {answer.Failure ?? SafeDns.DescribeSecurity(answer.Security)}; a sending MTA would defer mail, fix the domain's DNS or DNSSEC"));
            return new DiscoveredTarget(target, findings, []);
        }

        if (answer.Outcome == DnsOutcome.NxDomain)
        {
            findings.Add(Finding.Error(
                FindingCodes.MxNone,
                $"the mail domain \"{domain}\" does not exist (NXDOMAIN, {SafeDns.DescribeSecurity(answer.Security)}); check the spelling or create the domain with MX records"));
            return new DiscoveredTarget(target, findings, []);
        }

        AddInsecure(findings, answer, FindingCodes.MxInsecure, $"the MX records of \"{domain}\"");

        if (answer.Outcome == DnsOutcome.NoData)
        {
            // RFC 5321 §5.1: no MX means the domain itself is the implicit MX, preference 0;
            // RFC 7672 §2.2.1 then applies DANE to it. It is probed as such.
            findings.Add(Finding.Error(
                FindingCodes.MxNone,
                $"\"{domain}\" has no MX records, so senders fall back to its own address records (implicit MX, RFC 5321 §5.1), probed below; publish MX records"));
            var implicitHost = await _hosts.DiscoverAsync(domain, port, 0, domain, viaMx: false, ct).ConfigureAwait(false);
            return new DiscoveredTarget(target, findings, [implicitHost]);
        }

        var records = answer.Records;
        if (records.Count == 1 && records[0].Exchange.Length == 0)
        {
            // RFC 7505 §3: a lone "MX 0 ." says the domain accepts no mail.
            findings.Add(Finding.Warning(
                FindingCodes.MxNull,
                $"\"{domain}\" has a null MX (RFC 7505): the domain accepts no mail, so there is nothing to probe; remove it if the domain should receive mail"));
            return new DiscoveredTarget(target, findings, []);
        }

        var ordered = records.OrderBy(r => r.Preference).ThenBy(r => r.Exchange, StringComparer.Ordinal).ToList();
        findings.Add(Finding.Info(
            FindingCodes.MxFound,
            $"\"{domain}\" has {records.Count} MX record(s) ({SafeDns.DescribeSecurity(answer.Security)}): {string.Join(", ", ordered.Select(r => $"{r.Preference} {(r.Exchange.Length == 0 ? "." : r.Exchange)}"))}"));

        var picked = new List<(string Name, int Preference)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var mx in ordered)
        {
            if (mx.Exchange.Length == 0)
            {
                findings.Add(Finding.Warning(
                    FindingCodes.MxNull,
                    $"\"{domain}\" mixes a null MX (\".\") with other MX records, which RFC 7505 §3 forbids; the null MX is ignored, remove it"));
                continue;
            }

            if (seen.TryGetValue(mx.Exchange, out var earlier))
            {
                findings.Add(Finding.Info(
                    FindingCodes.MxDuplicate,
                    $"MX host \"{mx.Exchange}\" at preference {mx.Preference} is already probed at preference {earlier}; skipping the duplicate"));
                continue;
            }

            seen.Add(mx.Exchange, mx.Preference);
            picked.Add((mx.Exchange, mx.Preference));
        }

        var hosts = await Task.WhenAll(picked.Select(p =>
            _hosts.DiscoverAsync(p.Name, port, p.Preference, domain, viaMx: true, ct))).ConfigureAwait(false);
        return new DiscoveredTarget(target, findings, hosts);
    }

    private async Task<DiscoveredTarget> DiscoverSrvAsync(Target target, CancellationToken ct)
    {
        var service = _settings.SrvService;
        if (string.IsNullOrWhiteSpace(service))
        {
            throw new ArgumentException("SRV mode needs ProbeSettings.SrvService", nameof(target));
        }

        var domain = Normalize(target.Name);
        var owner = $"_{service.TrimStart('_').ToLowerInvariant()}._tcp.{domain}";
        var findings = new List<Finding>();
        var answer = await SafeDns.QueryAsync(c => _dns.QuerySrvAsync(owner, c), owner, ct).ConfigureAwait(false);

        if (answer.Outcome == DnsOutcome.Failed || answer.Security is DnsSecurity.Bogus or DnsSecurity.Indeterminate)
        {
            findings.Add(Finding.Error(
                FindingCodes.SrvLookupFailed,
                $"SRV lookup for \"{owner}\" failed: {answer.Failure ?? SafeDns.DescribeSecurity(answer.Security)}; fix the domain's DNS or DNSSEC"));
            return new DiscoveredTarget(target, findings, []);
        }

        if (answer.Outcome != DnsOutcome.Records)
        {
            findings.Add(Finding.Error(
                FindingCodes.SrvNone,
                $"\"{owner}\" has no SRV records ({SafeDns.Describe(answer)}, {SafeDns.DescribeSecurity(answer.Security)}); publish them (RFC 6186) or probe the host directly"));
            return new DiscoveredTarget(target, findings, []);
        }

        AddInsecure(findings, answer, FindingCodes.SrvInsecure, $"the SRV records of \"{owner}\"");
        var records = answer.Records;
        if (records.Count == 1 && records[0].Target.Length == 0)
        {
            // RFC 2782: a lone target "." means the service is decidedly not available.
            findings.Add(Finding.Warning(
                FindingCodes.SrvNoService,
                $"\"{owner}\" has target \".\": the service is deliberately not offered (RFC 2782), so there is nothing to probe"));
            return new DiscoveredTarget(target, findings, []);
        }

        // RFC 2782: lower priority first; within a priority, heavier weight first (we probe all).
        var ordered = records
            .OrderBy(r => r.Priority)
            .ThenByDescending(r => r.Weight)
            .ThenBy(r => r.Target, StringComparer.Ordinal)
            .ThenBy(r => r.Port)
            .ToList();
        findings.Add(Finding.Info(
            FindingCodes.SrvFound,
            $"\"{owner}\" has {records.Count} SRV record(s) ({SafeDns.DescribeSecurity(answer.Security)}): {string.Join(", ", ordered.Select(r => $"{r.Priority} {r.Weight} {r.Port} {(r.Target.Length == 0 ? "." : r.Target)}"))}"));

        var picked = new List<(string Name, int Port, int Priority)>();
        foreach (var srv in ordered)
        {
            if (srv.Target.Length == 0)
            {
                findings.Add(Finding.Warning(
                    FindingCodes.SrvNoService,
                    $"\"{owner}\" mixes a \".\" target with other SRV records; the \".\" record is ignored, remove it"));
                continue;
            }

            var port = target.Port ?? srv.Port;
            if (picked.Any(p => p.Name == srv.Target && p.Port == port))
            {
                findings.Add(Finding.Info(
                    FindingCodes.SrvDuplicate,
                    $"SRV target \"{srv.Target}\" port {port} is listed more than once; skipping the duplicate"));
                continue;
            }

            picked.Add((srv.Target, port, srv.Priority));
        }

        var hosts = await Task.WhenAll(picked.Select(p =>
            _hosts.DiscoverAsync(p.Name, p.Port, p.Priority, domain, viaMx: false, ct))).ConfigureAwait(false);
        return new DiscoveredTarget(target, findings, hosts);
    }

    private static void AddInsecure<T>(List<Finding> findings, DnsAnswer<T> answer, string code, string what)
    {
        if (answer.Security == DnsSecurity.Insecure)
        {
            // RFC 7672 §2.2.1: DANE applies only to MX/SRV hosts learned from a secure RRset.
            findings.Add(Finding.Error(
                code,
                $"{what} are not DNSSEC-validated{SafeDns.DescribeInsecureAt(answer)}, so DANE cannot apply to this domain (RFC 7672 §2.2.1) and a sending MTA would use opportunistic TLS; the hosts are still checked; sign the zone",
                SafeDns.InsecureData(answer)));
        }
    }

    private static string Normalize(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();
}
