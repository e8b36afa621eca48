using System.Globalization;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
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

    private const string EeDatesAside =
        "which DANE-EE(3) senders ignore (RFC 7672 §3.1.1) but other clients do not";

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
                        RecordData(record, 0)));
                    successes.Add((record, [new PathEntry(leaf.Facts, leaf.Der, leaf.Label)], true));
                }
            }
            else if (record.Usage == (byte)TlsaUsage.DaneTa)
            {
                var path = MatchTrustAnchor(record, certs, graph, where, findings, ref anyMatch);
                if (path is not null)
                {
                    taChained.Add((record, path));
                }
            }
        }

        if (taChained.Count > 0 && CheckNames(request, leaf, where, findings))
        {
            successes.AddRange(taChained.Select(t => (t.Record, t.Path, false)));
            successes.Sort((a, b) => IndexOf(request.UsableRecords, a.Record).CompareTo(IndexOf(request.UsableRecords, b.Record)));
        }

        var verified = successes.Count > 0;
        if (verified)
        {
            // RFC 7672 §3.1: one matching record authenticates the server, so a record that fails
            // beside one that succeeds is a warning (a latent outage at the next rollover), not an error.
            for (var i = 0; i < findings.Count; i++)
            {
                if (findings[i] is { Severity: Severity.Error, Code: FindingCodes.DaneTaNotChained or FindingCodes.DaneNameMismatch } failed)
                {
                    findings[i] = failed with { Severity = Severity.Warning };
                }
            }

            CheckDates(request, successes, where, findings);
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
        return new DaneVerification(
            true,
            findings,
            [.. successes[0].Path.Select(p => p.Der)],
            [.. successes.Select(s => s.Record)]);
    }

    /// <summary>
    /// One DANE-TA(2) record: the path leaf..anchor when it matches and the leaf chains to it,
    /// else null (with a finding when it matched something).
    /// </summary>
    private static List<PathEntry>? MatchTrustAnchor(
        TlsaRecord record,
        PresentedCertificate?[] certs,
        ChainGraph graph,
        string where,
        List<Finding> findings,
        ref bool anyMatch)
    {
        // RFC 7671 §5.2.1: the anchor is normally a certificate the server sends, above the leaf.
        int? firstMatch = null;
        for (var i = 1; i < certs.Length; i++)
        {
            if (certs[i] is not { } ca || !TlsaMatcher.Matches(record, ca.Certificate, ca.Der))
            {
                continue;
            }

            firstMatch ??= i;
            if (graph.FindPath(0, i) is { } path)
            {
                anyMatch = true;
                findings.Add(Finding.Success(
                    FindingCodes.DaneTaMatch,
                    $"DANE-TA(2) match at chain position {i}: record {record} matches the CA certificate \"{PeerText.Cap(ca.Facts.CommonName ?? ca.Facts.Subject)}\" sent by {where}, and the leaf chains to it",
                    RecordData(record, i)));
                return [.. path.Select(p => certs[p]!).Select(c => new PathEntry(c.Facts, c.Der, c.Label))];
            }
        }

        if (firstMatch is { } at)
        {
            anyMatch = true;
            findings.Add(Finding.Error(
                FindingCodes.DaneTaNotChained,
                $"DANE-TA(2) record {record} matches {certs[at]!.Label} of {where}, but the leaf does not chain to it because {graph.ExplainBreak(at)}; send the intermediate certificates that link the leaf to it",
                RecordData(record, at)));
            return null;
        }

        var leaf = certs[0]!;
        if (TlsaMatcher.Matches(record, leaf.Certificate, leaf.Der))
        {
            // Decision: like OpenSSL (DANE-TA usages apply at depth > 0 only), a DANE-TA(2) record
            // matching the leaf itself does not make the leaf its own anchor; RFC 7671 §5.2 wants
            // the anchor to issue the chain, and a key pinned for the leaf is DANE-EE(3)'s job.
            findings.Add(Finding.Warning(
                FindingCodes.DaneTaMatchesLeaf,
                $"DANE-TA(2) record {record} matches the leaf certificate of {where}, which cannot be its own trust anchor; publish it as {(byte)TlsaUsage.DaneEe} {record.Selector} {record.MatchingType} or match the issuing CA",
                RecordData(record, 0)));
            return null;
        }

        return record.MatchingType == (byte)TlsaMatchingType.Full
            ? MatchDnsAnchor(record, certs, graph, where, findings, ref anyMatch)
            : null;
    }

    /// <summary>
    /// RFC 7671 §5.2.2: with 2 0 0 / 2 1 0 the anchor certificate or key is in DNS and need not be
    /// sent; it matches when its key signed a certificate of the chain the leaf chains to.
    /// </summary>
    private static List<PathEntry>? MatchDnsAnchor(
        TlsaRecord record,
        PresentedCertificate?[] certs,
        ChainGraph graph,
        string where,
        List<Finding> findings,
        ref bool anyMatch)
    {
        X509Certificate? anchorCert = null;
        AsymmetricKeyParameter key;
        try
        {
            if (record.Selector == (byte)TlsaSelector.FullCertificate)
            {
                anchorCert = new X509Certificate(record.Data);
                key = anchorCert.GetPublicKey();
            }
            else
            {
                key = PublicKeyFactory.CreateKey(record.Data);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // not a certificate or key: it simply matches nothing
        }

        var label = anchorCert is null ? "the public key published in DNS" : "the certificate published in DNS";
        for (var i = 0; i < certs.Length; i++)
        {
            if (certs[i] is not { } signed || ChainGraph.IssuerProblem(signed.Certificate, anchorCert, key, label) is not null)
            {
                continue;
            }

            anyMatch = true;
            if (graph.FindPath(0, i) is not { } path)
            {
                findings.Add(Finding.Error(
                    FindingCodes.DaneTaNotChained,
                    $"DANE-TA(2) record {record} ({label}) issued {signed.Label} of {where}, but the leaf does not chain to it because {graph.ExplainBreak(i)}; send the intermediate certificates that link the leaf to it",
                    RecordData(record, i)));
                return null;
            }

            findings.Add(Finding.Success(
                FindingCodes.DaneTaMatch,
                $"DANE-TA(2) match at chain position {i}: record {record} ({label}) issued {signed.Label} of {where} and the leaf chains to it",
                RecordData(record, i)));
            var entries = path.Select(p => certs[p]!).Select(c => new PathEntry(c.Facts, c.Der, c.Label)).ToList();
            if (anchorCert is not null && TryFacts(anchorCert, record.Data) is { } facts)
            {
                entries.Add(new PathEntry(facts, record.Data, label));
            }

            return entries;
        }

        return null;
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

    /// <summary>Expiry of every certificate on a verified path, each once (Go smtpdane's behaviour).</summary>
    private static void CheckDates(
        DaneVerificationRequest request,
        List<(TlsaRecord Record, List<PathEntry> Path, bool IsEe)> successes,
        string where,
        List<Finding> findings)
    {
        if (request.ExpirationWarning <= TimeSpan.Zero)
        {
            return;
        }

        var eeOnly = successes.TrueForAll(s => s.IsEe);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in successes.SelectMany(s => s.Path))
        {
            if (!seen.Add(Convert.ToHexString(entry.Facts.CertificateSha256)))
            {
                continue;
            }

            findings.AddRange(CertificateExpiry.Check(
                entry.Facts,
                $"the certificate at {entry.Label} of {where}",
                request.Now,
                request.ExpirationWarning,
                eeOnly ? EeDatesAside : null));
        }
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

    private static CertificateFacts? TryFacts(X509Certificate cert, byte[] der)
    {
        try
        {
            return CertificateFacts.FromCertificate(cert, der);
        }
        catch (CertificateParseException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> RecordData(TlsaRecord record, int position) => new()
    {
        ["record"] = record.ToString(),
        ["position"] = I(position),
    };

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

    /// <summary>One certificate on a verified path.</summary>
    private sealed record PathEntry(CertificateFacts Facts, byte[] Der, string Label);
}
