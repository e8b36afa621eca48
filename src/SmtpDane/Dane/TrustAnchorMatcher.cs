using System.Globalization;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using SmtpDane.Certificates;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Dane;

/// <summary>
/// Finds where a DANE-TA(2) record anchors the presented chain (RFC 7671 §5.2): a certificate the
/// server sends above the leaf (§5.2.1), or a certificate or key given in full in DNS that signed
/// one of them (§5.2.2). Reports the match or why the leaf does not chain to it; RFC 5280 path
/// validation of the result is <see cref="TaPathValidator"/>'s job.
/// </summary>
internal static class TrustAnchorMatcher
{
    /// <summary>The candidate path for one record, or null (with a finding when it matched something).</summary>
    public static TaCandidate? Match(
        TlsaRecord record,
        PresentedCertificate?[] certs,
        ChainGraph graph,
        string where,
        List<Finding> findings,
        ref bool anyMatch)
    {
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
                var below = path.Take(path.Count - 1).Select(p => certs[p]!).ToList();
                var entries = below.Select(c => PathEntry.Of(c)).ToList();
                entries.Add(PathEntry.Of(ca, isAnchor: true));
                return new TaCandidate(record, below, ca.Certificate, ca.Certificate.GetPublicKey(), ca.Label, entries);
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

    internal static Dictionary<string, string> RecordData(TlsaRecord record, int position) => new()
    {
        ["record"] = record.ToString(),
        ["position"] = position.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// RFC 7671 §5.2.2: with 2 0 0 / 2 1 0 the anchor certificate or key is in DNS and need not be
    /// sent; it matches when its key signed a certificate of the chain the leaf chains to.
    /// </summary>
    private static TaCandidate? MatchDnsAnchor(
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
            var below = path.Select(p => certs[p]!).ToList();
            var entries = below.Select(c => PathEntry.Of(c)).ToList();
            if (anchorCert is not null && TryFacts(anchorCert, record.Data) is { } facts)
            {
                entries.Add(new PathEntry(facts, record.Data, label, anchorCert, IsAnchor: true));
            }

            return new TaCandidate(record, below, anchorCert, key, label, entries);
        }

        return null;
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
}
