using System.Net;
using System.Net.Sockets;
using SmtpDane.Dane;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Discovery;

/// <summary>Address and TLSA lookups for one host name and port (RFC 7672 §2.2.2, §2.2.3).</summary>
internal sealed class HostDiscoverer(IDnsResolver dns, ProbeSettings settings)
{
    /// <param name="parentDomain">The MX or SRV domain the host came from, else null.</param>
    /// <param name="viaMx">The host is an MX exchange: a CNAME there is reported (RFC 2181 §10.3).</param>
    public async Task<DiscoveredHost> DiscoverAsync(string name, int port, int? preference, string? parentDomain, bool viaMx, CancellationToken ct)
    {
        var findings = new List<Finding>();
        var families = new List<AddressFamily>();
        if (settings.Ipv6)
        {
            families.Add(AddressFamily.InterNetworkV6);
        }

        if (settings.Ipv4)
        {
            families.Add(AddressFamily.InterNetwork);
        }

        if (families.Count == 0)
        {
            findings.Add(Finding.Error(FindingCodes.AddressNone, $"no address of \"{name}\" can be used because IPv4 and IPv6 are both disabled; drop -4 or -6"));
            return Host(name, port, preference, findings, [], TlsaLookupOutcome.Failed, null, [], [], parentDomain);
        }

        var answers = await Task.WhenAll(families.Select(f =>
            SafeDns.QueryAsync(c => dns.QueryAddressesAsync(name, f, c), name, ct))).ConfigureAwait(false);

        var addresses = new List<IPAddress>();
        var failed = 0;
        var insecure = false;
        for (var i = 0; i < answers.Length; i++)
        {
            var answer = answers[i];
            var type = families[i] == AddressFamily.InterNetworkV6 ? "AAAA" : "A";
            if (answer.Outcome == DnsOutcome.Failed || answer.Security is DnsSecurity.Bogus or DnsSecurity.Indeterminate)
            {
                failed++;
                findings.Add(Finding.Error(
                    FindingCodes.AddressLookupFailed,
                    $"{type} lookup for \"{name}\" failed: {answer.Failure ?? SafeDns.DescribeSecurity(answer.Security)}; a DANE sending MTA would defer mail, fix the zone's DNS or DNSSEC"));
                continue;
            }

            // RFC 7672 §2.2.2: the address RRsets (and any CNAME leading to them) must be secure.
            // A denial only counts when no family has records (it then decides "no address").
            insecure |= answer.Security != DnsSecurity.Secure && answer.Outcome == DnsOutcome.Records;
            addresses.AddRange(answer.Records.Where(a => a.AddressFamily == families[i]));
        }

        var usable = answers.Where(a => a.Outcome != DnsOutcome.Failed && a.Security is DnsSecurity.Secure or DnsSecurity.Insecure).ToList();
        var canonical = usable.FirstOrDefault(a => a.Outcome == DnsOutcome.Records) ?? usable.FirstOrDefault();
        if (canonical is not null && canonical.CnameChain.Count > 0)
        {
            var chain = string.Join(" -> ", canonical.CnameChain.Append(canonical.CanonicalName).Select(n => $"\"{n}\""));
            findings.Add(Finding.Info(FindingCodes.AddressCname, $"\"{name}\" is an alias: {chain}"));
            if (viaMx)
            {
                findings.Add(Finding.Info(
                    FindingCodes.MxCname,
                    $"MX host \"{name}\" is a CNAME to \"{canonical.CanonicalName}\", which RFC 5321 §5.1 and RFC 2181 §10.3 forbid; it is still checked, but point the MX at \"{canonical.CanonicalName}\""));
            }
        }

        if (addresses.Count == 0)
        {
            insecure = answers.Any(a => a.Outcome != DnsOutcome.Failed && a.Security == DnsSecurity.Insecure);
        }

        addresses = Order(addresses);
        var security = insecure ? "INSECURE: not DNSSEC-validated" : "DNSSEC secure";
        if (addresses.Count > 0)
        {
            findings.Add(Finding.Info(FindingCodes.AddressFound, $"\"{name}\" has address {string.Join(", ", addresses)} ({security})"));
        }
        else if (failed == 0)
        {
            var why = string.Join(", ", answers.Select((a, i) => $"{(families[i] == AddressFamily.InterNetworkV6 ? "AAAA" : "A")} {SafeDns.Describe(a)}"));
            findings.Add(Finding.Error(FindingCodes.AddressNone, $"\"{name}\" has no usable address ({why}); mail cannot be delivered to it, publish A or AAAA records"));
        }

        if (failed == answers.Length)
        {
            return Host(name, port, preference, findings, addresses, TlsaLookupOutcome.Failed, null, [], [], parentDomain);
        }

        if (insecure)
        {
            // Where the chain of trust ends, from an insecure answer that holds records if any.
            var cut = answers.Where(a => a.Outcome != DnsOutcome.Failed && a.Security == DnsSecurity.Insecure && a.InsecureAt is not null)
                .OrderByDescending(a => a.Outcome == DnsOutcome.Records)
                .FirstOrDefault();
            findings.Add(Finding.Error(
                FindingCodes.AddressInsecure,
                $"the address records of \"{name}\" are not DNSSEC-validated{(cut is null ? "" : SafeDns.DescribeInsecureAt(cut))}, so DANE does not apply to it (RFC 7672 §2.2.2) and a sending MTA would use opportunistic TLS; sign the zone",
                cut is null ? null : SafeDns.InsecureData(cut)));
            return Host(name, port, preference, findings, addresses, TlsaLookupOutcome.Insecure, null, [], [], parentDomain);
        }

        var expanded = canonical?.CanonicalName ?? name;
        var tlsa = await LookupTlsaAsync(name, expanded, port, findings, ct).ConfigureAwait(false);
        return Host(name, port, preference, findings, addresses, tlsa.Outcome, tlsa.BaseName, tlsa.Usable, tlsa.All, parentDomain);
    }

    /// <summary>
    /// RFC 7672 §2.2.3 / RFC 7671 §7: with a secure CNAME chain, TLSA at the expanded name first;
    /// only a secure denial there sends us to the original name. (An insecure chain never gets here:
    /// insecure addresses mean DANE does not apply at all.)
    /// </summary>
    private async Task<(TlsaLookupOutcome Outcome, string? BaseName, List<TlsaRecord> Usable, List<TlsaRecord> All)> LookupTlsaAsync(
        string original, string expanded, int port, List<Finding> findings, CancellationToken ct)
    {
        var candidates = expanded == original ? new[] { original } : [expanded, original];
        var tried = new List<string>();
        foreach (var baseName in candidates)
        {
            var owner = $"_{port}._tcp.{baseName}";
            tried.Add($"\"{owner}\"");
            var answer = await SafeDns.QueryAsync(c => dns.QueryTlsaAsync(owner, c), owner, ct).ConfigureAwait(false);
            if (answer.Outcome == DnsOutcome.Failed || answer.Security is DnsSecurity.Bogus or DnsSecurity.Indeterminate)
            {
                findings.Add(Finding.Error(
                    FindingCodes.TlsaLookupFailed,
                    $"TLSA lookup for \"{owner}\" failed: {answer.Failure ?? SafeDns.DescribeSecurity(answer.Security)}; a DANE sending MTA would defer mail (RFC 7672 §2.2), fix the zone's DNS or DNSSEC"));
                return (TlsaLookupOutcome.Failed, null, [], []);
            }

            if (answer.Security != DnsSecurity.Secure)
            {
                findings.Add(Finding.Error(
                    FindingCodes.TlsaInsecure,
                    $"the TLSA answer for \"{owner}\" ({SafeDns.Describe(answer)}) is not DNSSEC-validated{SafeDns.DescribeInsecureAt(answer)}, so DANE does not apply and a sending MTA would use opportunistic TLS; sign the zone",
                    SafeDns.InsecureData(answer)));
                return (TlsaLookupOutcome.Insecure, null, [], []);
            }

            if (answer.Outcome != DnsOutcome.Records)
            {
                continue;
            }

            return Classify(owner, baseName, answer.Records, findings);
        }

        findings.Add(Finding.Error(
            FindingCodes.TlsaNone,
            $"no TLSA records at {string.Join(" or ", tried)} (secure denial), so DANE does not apply and a sending MTA would use opportunistic TLS; publish TLSA records, e.g. 3 1 1 <SHA-256 of the server key>"));
        return (TlsaLookupOutcome.None, null, [], []);
    }

    private static (TlsaLookupOutcome, string?, List<TlsaRecord>, List<TlsaRecord>) Classify(
        string owner, string baseName, IReadOnlyList<TlsaRecord> records, List<Finding> findings)
    {
        var all = records.Distinct().ToList();
        var usable = new List<TlsaRecord>();
        foreach (var record in all)
        {
            var reason = TlsaUsability.UnusableReason(record);
            if (reason is null)
            {
                usable.Add(record);
                continue;
            }

            findings.Add(Finding.Info(
                FindingCodes.TlsaUnusable,
                $"TLSA record {record} at \"{owner}\" is ignored: {reason}",
                new Dictionary<string, string> { ["record"] = record.ToString(), ["reason"] = reason }));
        }

        if (usable.Count == 0)
        {
            findings.Add(Finding.Error(
                FindingCodes.TlsaAllUnusable,
                $"all {all.Count} TLSA records at \"{owner}\" are unusable, so a sending MTA would require STARTTLS without authenticating the server (RFC 7672 §2.2); publish a DANE-EE(3) or DANE-TA(2) record"));
            return (TlsaLookupOutcome.AllUnusable, baseName, usable, all);
        }

        findings.Add(Finding.Info(
            FindingCodes.TlsaFound,
            $"\"{owner}\" has {usable.Count} usable TLSA record(s) (DNSSEC secure): {string.Join(", ", usable)}"));
        return (TlsaLookupOutcome.Usable, baseName, usable, all);
    }

    /// <summary>IPv6 first, then IPv4; within a family by address bytes; duplicates dropped.</summary>
    internal static List<IPAddress> Order(IEnumerable<IPAddress> addresses) =>
        addresses
            .Distinct()
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? 0 : 1)
            .ThenBy(a => Convert.ToHexString(a.GetAddressBytes()), StringComparer.Ordinal)
            .ToList();

    private DiscoveredHost Host(
        string name, int port, int? preference, List<Finding> findings, List<IPAddress> addresses,
        TlsaLookupOutcome outcome, string? baseName, List<TlsaRecord> usable, List<TlsaRecord> all, string? parentDomain) =>
        new(name, port, preference, findings, addresses, outcome, baseName, usable, all, ReferenceNames(settings, baseName, name, parentDomain));

    /// <summary>RFC 7672 §3.2.2: the TLSA base name, the original name, the next-hop domain, then -aka.</summary>
    internal static List<string> ReferenceNames(ProbeSettings settings, string? baseName, string? name, string? parentDomain)
    {
        var names = new List<string>();
        foreach (var candidate in new[] { baseName, name, parentDomain }.Concat(settings.AkaNames))
        {
            if (string.IsNullOrWhiteSpace(candidate))
            {
                continue;
            }

            var normalized = candidate.Trim().TrimEnd('.').ToLowerInvariant();
            if (normalized.Length > 0 && !names.Contains(normalized))
            {
                names.Add(normalized);
            }
        }

        return names;
    }
}
