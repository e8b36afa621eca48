using System.Globalization;
using SmtpDane.Certificates;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Dane;

/// <summary>
/// DANE authentication of one SMTP server's chain against its usable TLSA records (RFC 7671 §5,
/// RFC 7672 §3). Every record is tried and every match reported; the result is verified when one
/// record fully succeeds. Pure: no clock, no I/O, no exceptions for peer data.
/// </summary>
public static class DaneVerifier
{
    /// <summary>Chains longer than this are cut (path search is quadratic in it).</summary>
    public const int MaxChainLength = 16;

    public static DaneVerification Verify(DaneVerificationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var where = $"\"{request.HostName}\" port {request.Port}";
        var findings = new List<Finding>();
        if (request.PresentedChain.Count == 0)
        {
            findings.Add(Finding.Error(
                FindingCodes.TlsNoCertificates,
                $"the server {where} presented no certificate; configure a certificate chain"));
            return Failed(findings, where);
        }

        var certs = Parse(request.PresentedChain, where, findings);
        var leaf = certs[0];
        if (leaf is null)
        {
            return Failed(findings, where);
        }

        var graph = new ChainGraph(certs);
        var successes = new List<(TlsaRecord Record, List<PathEntry> Path, bool IsEe)>();
        var taChained = new List<(TlsaRecord Record, List<PathEntry> Path)>();
        var recordFailures = new HashSet<Finding>(ReferenceEqualityComparer.Instance);
        var anyMatch = false;
        foreach (var record in request.UsableRecords)
        {
            if (TlsaUsability.UnusableReason(record) is not null)
            {
                continue; // the lookup stage reports unusable records (tlsa.unusable)
            }

            if (record.Usage == (byte)TlsaUsage.DaneEe)
            {
                // RFC 7672 §3.1.1: DANE-EE(3) authenticates the key alone; names and dates are not checked.
                if (TlsaMatcher.Matches(record, leaf.Certificate, leaf.Der))
                {
                    anyMatch = true;
                    findings.Add(Finding.Success(
                        FindingCodes.DaneEeMatch,
                        $"DANE-EE(3) record {record} matches the certificate of {where}",
                        TrustAnchorMatcher.RecordData(record, 0)));
                    successes.Add((record, [PathEntry.Of(leaf)], true));
                }
            }
            else if (record.Usage == (byte)TlsaUsage.DaneTa)
            {
                var before = findings.Count;
                var candidate = TrustAnchorMatcher.Match(record, certs, graph, where, findings, ref anyMatch);
                if (candidate is not null)
                {
                    // RFC 7671 §5.2: a DANE-TA(2) path is then validated as RFC 5280 §6 wants, at the check time.
                    var problems = TaPathValidator.Validate(candidate, request.Now, where);
                    findings.AddRange(problems);
                    if (problems.Count == 0)
                    {
                        taChained.Add((record, candidate.Path));
                    }
                }

                recordFailures.UnionWith(findings.Skip(before).Where(f => f.Severity == Severity.Error));
            }
        }

        if (taChained.Count > 0 && CheckNames(request, leaf, where, findings))
        {
            successes.AddRange(taChained.Select(t => (t.Record, t.Path, false)));
            successes.Sort((a, b) => IndexOf(request.UsableRecords, a.Record).CompareTo(IndexOf(request.UsableRecords, b.Record)));
        }
        else if (taChained.Count > 0)
        {
            recordFailures.Add(findings[^1]); // the name mismatch
        }

        var verified = successes.Count > 0;
        if (verified)
        {
            // RFC 7672 §3.1: one matching record authenticates the server, so a record that fails
            // beside one that succeeds is a warning (a latent outage at the next rollover), not an error.
            for (var i = 0; i < findings.Count; i++)
            {
                if (recordFailures.Contains(findings[i]))
                {
                    findings[i] = findings[i] with { Severity = Severity.Warning };
                }
            }

            findings.AddRange(PathHygiene.Check([.. successes.Select(s => (s.Path, s.IsEe))], request.Now, request.ExpirationWarning, where));
        }

        if (!anyMatch)
        {
            var digest = Convert.ToHexStringLower(TlsaMatcher.AssociationData(leaf.Certificate, leaf.Der, 1, 1));
            findings.Add(Finding.Error(
                FindingCodes.DaneNoMatch,
                $"no TLSA record for {where} matches its certificate chain as a DANE-EE(3) leaf or DANE-TA(2) issuer; publish 3 1 1 {digest} or fix the chain"));
        }

        if (!verified)
        {
            findings.Add(PresentedRecords.Describe(certs, where));
            return Failed(findings, where);
        }

        findings.Add(Finding.Success(
            FindingCodes.DaneVerified,
            $"DANE verification of {where} succeeded with {Count(successes.Count, "matching record")}"));
        // The OCSP issuer must verifiably have signed the leaf: the next certificate on a DANE-TA(2)
        // path, else a sent certificate whose key verifies the leaf's signature.
        var path = successes[0].Path;
        Lazy<byte[]?> issuer = path.Count > 1 ? new(path[1].Der) : new(() => LeafIssuer.Find(request.PresentedChain));
        return new DaneVerification(
            true,
            findings,
            [.. path.Select(p => p.Der)],
            [.. successes.Select(s => s.Record)])
        {
            LeafIssuerLookup = issuer,
        };
    }

    /// <summary>RFC 7672 §3.2.2/§3.2.3: with DANE-TA(2) the leaf must carry a reference name.</summary>
    private static bool CheckNames(DaneVerificationRequest request, PresentedCertificate leaf, string where, List<Finding> findings)
    {
        IReadOnlyList<string> references = request.ReferenceNames.Count > 0 ? request.ReferenceNames : [request.HostName];
        var presented = NameMatcher.PresentedNames(leaf.Facts.DnsNames, leaf.Facts.CommonName);
        if (NameMatcher.TryMatch(references, presented, out var reference, out var matched))
        {
            findings.Add(Finding.Success(
                FindingCodes.DaneNameMatch,
                $"the certificate of {where} is valid for \"{reference}\" (as \"{PeerText.Cap(matched)}\")",
                new Dictionary<string, string> { ["reference"] = reference, ["presented"] = PeerText.Cap(matched) }));
            return true;
        }

        var found = leaf.Facts.DnsNames.Count > 0
            ? $"its DNS SANs are {PeerText.QuotedList(leaf.Facts.DnsNames)}"
            : presented.Count > 0
                ? $"it has no DNS SANs and its subject CN is {PeerText.QuotedList(presented)}"
                : "it has no DNS SANs and no subject CN";
        findings.Add(Finding.Error(
            FindingCodes.DaneNameMismatch,
            $"the certificate of {where} is valid for none of the names checked ({PeerText.QuotedList(references)}), {found}; add one of the checked names to its subjectAltName",
            new Dictionary<string, string>
            {
                ["checked"] = string.Join(" ", references),
                ["presented"] = string.Join(" ", presented.Take(PeerText.MaxListed).Select(PeerText.Cap)),
            }));
        return false;
    }

    private static PresentedCertificate?[] Parse(IReadOnlyList<byte[]> chain, string where, List<Finding> findings)
    {
        var count = Math.Min(chain.Count, MaxChainLength);
        var certs = new PresentedCertificate?[count];
        for (var i = 0; i < count; i++)
        {
            certs[i] = PresentedCertificate.TryParse(i, chain[i], out var error);
            if (certs[i] is null)
            {
                findings.Add(Finding.Error(
                    FindingCodes.CertMalformed,
                    $"the certificate at chain position {i} sent by {where} is malformed ({error}); fix the server's certificate chain",
                    new Dictionary<string, string> { ["position"] = I(i) }));
            }
        }

        if (chain.Count > count)
        {
            findings.Add(Finding.Warning(
                FindingCodes.CertInfo,
                $"the server {where} sent {chain.Count} certificates and only the first {count} were examined; send only the leaf and its intermediates"));
        }

        return certs;
    }

    private static DaneVerification Failed(List<Finding> findings, string where)
    {
        findings.Add(Finding.Error(
            FindingCodes.DaneNotVerified,
            $"DANE verification of {where} failed, so a DANE sender would defer mail to it; fix the TLSA records or the certificate chain"));
        return new DaneVerification(false, findings, [], []);
    }

    private static int IndexOf(IReadOnlyList<TlsaRecord> records, TlsaRecord record)
    {
        for (var i = 0; i < records.Count; i++)
        {
            if (ReferenceEquals(records[i], record))
            {
                return i;
            }
        }

        return records.Count;
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
