using System.Collections.Concurrent;
using System.Text;
using ARSoft.Tools.Net.Dns;
using SmtpDane.Model;

namespace SmtpDane.Dns;

/// <summary>
/// Says why ARSoft's validator called an answer bogus, and where an insecure chain of trust ends.
/// It re-reads the (CD) answers with our exchange and looks for the usual culprits in order:
/// RRSIG outside its validity window, missing RRSIG or denial proof, no DNSKEY matching the DS
/// (or the trust anchor), walking from the answer's zone up to the root. It explains a verdict
/// already reached; it never turns bogus into secure.
/// </summary>
internal sealed class DnssecDiagnoser(AdBitResolver fetcher, IReadOnlyList<TrustAnchor> anchors, TimeProvider time)
{
    /// <summary>Zones walked upward at most (also bounds the insecure-cut search).</summary>
    private const int MaxDepth = 16;

    private readonly ConcurrentDictionary<string, string?> _cuts = new(StringComparer.Ordinal);

    /// <summary>Per signer zone: its DNSKEYs as fetched, and any algorithm mismatch in their own RRSIGs.</summary>
    private readonly ConcurrentDictionary<string, (List<DnsKeyRecord> Keys, string? Mismatch)> _keys = new(StringComparer.Ordinal);

    public async Task<string> ExplainBogusAsync(string queryName, RecordType type, DnsMessage answer, CancellationToken ct)
    {
        var typeName = TypeName(type);
        var now = time.GetUtcNow().UtcDateTime;
        if (CheckTimes(answer, now) is { } expired)
        {
            return expired;
        }

        var sigs = Signatures(answer).ToList();
        var data = answer.AnswerRecords.Where(r => r.RecordType is not RecordType.RrSig).ToList();
        if (data.Count > 0 && !sigs.Any(s => answer.AnswerRecords.Contains(s)))
        {
            return $"no RRSIG for {Show(data[0].Name)} {TypeName(data[0].RecordType)} although its zone is signed";
        }

        var denial = answer.AuthorityRecords.Any(r => r is NSecRecord or NSec3Record);
        if (data.Count == 0 && !denial)
        {
            return $"no NSEC or NSEC3 record proves that {Show(queryName)} has no {typeName} (missing denial of existence)";
        }

        var zone = sigs.OrderByDescending(s => s.Labels).Select(s => DnsAnswerBuilder.NameOf(s.SignersName)).FirstOrDefault();
        for (var depth = 0; zone is not null && depth < MaxDepth; depth++)
        {
            var (keysMessage, failure) = await fetcher.FetchAsync(zone, RecordType.DnsKey, ct).ConfigureAwait(false);
            if (keysMessage is null)
            {
                return $"cannot fetch the DNSKEY RRset of {Show(zone)}: {failure}";
            }

            if (CheckTimes(keysMessage, now) is { } keysExpired)
            {
                return keysExpired;
            }

            var keys = keysMessage.AnswerRecords.OfType<DnsKeyRecord>().Where(k => DnsAnswerBuilder.NameOf(k.Name) == zone).ToList();
            if (keys.Count == 0)
            {
                return $"{Show(zone)} publishes no DNSKEY although records are signed in its name";
            }

            var tags = keys.Select(k => k.CalculateKeyTag()).ToHashSet();
            var orphan = sigs.FirstOrDefault(s => DnsAnswerBuilder.NameOf(s.SignersName) == zone && !tags.Contains(s.KeyTag));
            if (orphan is not null)
            {
                return $"the RRSIG for {Show(orphan.Name)} {TypeName(orphan.TypeCovered)} names key tag {orphan.KeyTag}, which {Show(zone)} does not publish";
            }

            if (AlgorithmMismatch(sigs, zone, keys) is { } mismatch)
            {
                return mismatch;
            }

            DnsMessage? dsMessage = null;
            List<DsRecord> dsSet;
            if (zone.Length == 0)
            {
                dsSet = [.. anchors.Select(TrustAnchors.ToDsRecord)];
            }
            else
            {
                (dsMessage, failure) = await fetcher.FetchAsync(zone, RecordType.Ds, ct).ConfigureAwait(false);
                if (dsMessage is null)
                {
                    return $"cannot fetch the DS RRset of {Show(zone)}: {failure}";
                }

                if (CheckTimes(dsMessage, now) is { } dsExpired)
                {
                    return dsExpired;
                }

                dsSet = dsMessage.AnswerRecords.OfType<DsRecord>().ToList();
            }

            if (dsSet.Count > 0 && !dsSet.Any(ds => keys.Any(k => Matches(ds, k))))
            {
                var what = zone.Length == 0 ? "the trust anchor" : "its DS";
                return $"no DNSKEY of {Show(zone)} matches {what} (key tag {string.Join(", ", dsSet.Select(d => d.KeyTag).Distinct())})";
            }

            if (zone.Length == 0 || dsMessage is null)
            {
                break;
            }

            sigs = [.. Signatures(dsMessage)];
            zone = sigs.Select(s => DnsAnswerBuilder.NameOf(s.SignersName)).FirstOrDefault();
        }

        return $"the RRSIG for {Show(queryName)} {typeName}, or the proof that it does not exist, does not verify";
    }

    /// <summary>
    /// RFC 4035 §5.3.1: an RRSIG's algorithm must be that of the DNSKEY it names. ARSoft verifies
    /// with the key's algorithm and never compares the two, so it accepts a signature whose
    /// algorithm field is wrong. For an answer it called signed, this re-reads the DNSKEY RRset
    /// of each signer (CD, cached per run) and checks the answer's RRSIGs and those over that
    /// DNSKEY RRset. It only ever turns secure into bogus or indeterminate, never the reverse.
    /// </summary>
    /// <returns>Null when all match; else the reason and whether it is bogus (false: could not check).</returns>
    public async Task<(string Reason, bool Bogus)?> CheckSignatureAlgorithmsAsync(DnsMessage answer, CancellationToken ct)
    {
        var sigs = Signatures(answer).ToList();
        foreach (var zone in sigs.Select(s => DnsAnswerBuilder.NameOf(s.SignersName)).Distinct(StringComparer.Ordinal).Take(MaxDepth))
        {
            if (!_keys.TryGetValue(zone, out var keySet))
            {
                var (keysMessage, failure) = await fetcher.FetchAsync(zone, RecordType.DnsKey, ct).ConfigureAwait(false);
                if (keysMessage is null)
                {
                    return ($"cannot fetch the DNSKEY RRset of {Show(zone)} to check RRSIG algorithms: {failure}", false);
                }

                var keys = keysMessage.AnswerRecords.OfType<DnsKeyRecord>().Where(k => DnsAnswerBuilder.NameOf(k.Name) == zone).ToList();
                keySet = (keys, AlgorithmMismatch(Signatures(keysMessage), zone, keys));
                _keys.TryAdd(zone, keySet);
            }

            if ((keySet.Mismatch ?? AlgorithmMismatch(sigs, zone, keySet.Keys)) is { } mismatch)
            {
                return (mismatch, true);
            }
        }

        return null;
    }

    /// <summary>
    /// The first name below the root, walking down towards <paramref name="name"/>, whose parent
    /// proves with a signed NSEC/NSEC3 that it is a delegation without DS (or covers it with an
    /// opt-out NSEC3). Null when the walk finds none (it then says nothing rather than guess).
    /// </summary>
    public async Task<string?> FindInsecureCutAsync(string name, CancellationToken ct)
    {
        if (_cuts.TryGetValue(name, out var known))
        {
            return known;
        }

        var labels = name.Length == 0 ? [] : name.Split('.');
        string? cut = null;
        for (var i = 1; i <= labels.Length && i <= MaxDepth; i++)
        {
            var candidate = string.Join('.', labels[^i..]);
            var (message, _) = await fetcher.FetchAsync(candidate, RecordType.Ds, ct).ConfigureAwait(false);
            if (message is null || message.ReturnCode != ReturnCode.NoError || !Signatures(message).Any())
            {
                break;
            }

            if (message.AnswerRecords.OfType<DsRecord>().Any())
            {
                continue;
            }

            if (IsUnsignedDelegation(candidate, message))
            {
                cut = candidate;
                break;
            }
        }

        _cuts.TryAdd(name, cut);
        return cut;
    }

    private static bool IsUnsignedDelegation(string candidate, DnsMessage message)
    {
        var nsec = message.AuthorityRecords.OfType<NSecRecord>().FirstOrDefault(r => DnsAnswerBuilder.NameOf(r.Name) == candidate);
        if (nsec is not null)
        {
            return nsec.Types.Contains(RecordType.Ns) && !nsec.Types.Contains(RecordType.Soa);
        }

        var nsec3 = message.AuthorityRecords.OfType<NSec3Record>().ToList();
        if (nsec3.Count == 0)
        {
            return false;
        }

        var p = nsec3[0];
        var hash = Nsec3Hash(candidate, p.Iterations, p.Salt);
        var match = nsec3.FirstOrDefault(r => DnsAnswerBuilder.NameOf(r.Name).Split('.')[0] == hash);
        if (match is not null)
        {
            return match.Types.Contains(RecordType.Ns) && !match.Types.Contains(RecordType.Soa);
        }

        // No matching NSEC3: only an opt-out span (RFC 5155 §6) can cover an unsigned delegation.
        return nsec3.Any(r => r.Flags.HasFlag(NSec3Flags.OptOut));
    }

    /// <summary>RFC 5155 §5: iterated SHA-1 of the canonical owner name, base32hex, lower case.</summary>
    internal static string Nsec3Hash(string name, int iterations, byte[] salt)
    {
        var wire = new List<byte>();
        foreach (var label in name.Length == 0 ? [] : name.ToLowerInvariant().Split('.'))
        {
            wire.Add((byte)label.Length);
            wire.AddRange(Encoding.ASCII.GetBytes(label));
        }

        wire.Add(0);

        // SHA-1 is what RFC 5155 hashes owner names with (algorithm 1, the only one defined).
#pragma warning disable CA5350
        var digest = Digests.Sha1([.. wire, .. salt]);
        for (var i = 0; i < Math.Min(iterations, 2500); i++)
        {
            digest = Digests.Sha1([.. digest, .. salt]);
        }
#pragma warning restore CA5350

        return Base32Hex(digest);
    }

    /// <summary>RFC 4648 §7 base32hex, lower case, unpadded (NSEC3 owner labels).</summary>
    private static string Base32Hex(byte[] digest)
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuv";
        var sb = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in digest)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            sb.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }

        return sb.ToString();
    }

    /// <summary>
    /// RFC 5155 §8.4, §8.5, §8.7: re-checks an NSEC3 denial ARSoft called signed. ARSoft builds the
    /// next hashed owner in base32 instead of base32hex when it tests whether an NSEC3 covers a
    /// hash, so it can accept a proof that covers nothing, and it never compares the rcode with
    /// the proof (NXDOMAIN "proved" by an NSEC3 that matches the name). Signatures are ARSoft's to
    /// check; this only tests the hashes, and only turns secure into bogus.
    /// </summary>
    /// <returns>Why the proof does not hold, or null (it holds, or there are no NSEC3 records for <paramref name="name"/>).</returns>
    internal static string? CheckNsec3Denial(string name, RecordType type, DnsOutcome outcome, DnsMessage message)
    {
        if (outcome is not (DnsOutcome.NoData or DnsOutcome.NxDomain) || message.AuthorityRecords.OfType<NSecRecord>().Any())
        {
            return null;
        }

        // The deepest zone at or above the name that NSEC3 records were given for.
        var all = message.AuthorityRecords.OfType<NSec3Record>().Where(r => r.Flags is NSec3Flags.None or NSec3Flags.OptOut).ToList();
        var zone = all
            .Select(r => DnsAnswerBuilder.NameOf(r.Name.GetParentName()))
            .Where(z => z.Length == 0 || name == z || name.EndsWith("." + z, StringComparison.Ordinal))
            .OrderByDescending(z => z.Length)
            .FirstOrDefault();
        if (zone is null)
        {
            return null;
        }

        var nsec3 = all.Where(r => DnsAnswerBuilder.NameOf(r.Name.GetParentName()) == zone).ToList();
        var p = nsec3[0];
        var what = $"the NSEC3 proof that {Show(name)} has no {TypeName(type)}";
        if (p.HashAlgorithm != NSec3HashAlgorithm.Sha1)
        {
            return $"{what} uses an unknown hash algorithm";
        }

        string Hash(string n) => Nsec3Hash(n, p.Iterations, p.Salt);
        NSec3Record? Match(string n) => nsec3.FirstOrDefault(r => string.Equals(r.Name.Labels[0], Hash(n), StringComparison.OrdinalIgnoreCase));
        bool Covers(string n)
        {
            var h = Hash(n);
            return nsec3.Any(r =>
            {
                var owner = r.Name.Labels[0].ToLowerInvariant();
                var next = Base32Hex(r.NextHashedOwner);
                return string.CompareOrdinal(owner, next) < 0
                    ? string.CompareOrdinal(h, owner) > 0 && string.CompareOrdinal(h, next) < 0
                    : string.CompareOrdinal(h, owner) > 0 || string.CompareOrdinal(h, next) < 0;
            });
        }

        var match = Match(name);
        if (match is not null)
        {
            if (outcome == DnsOutcome.NxDomain)
            {
                return $"NXDOMAIN for {Show(name)}, but an NSEC3 record matches the name, so it exists";
            }

            return match.Types.Contains(type) || match.Types.Contains(RecordType.CName)
                ? $"{what} does not hold: the NSEC3 record matching it lists {TypeName(match.Types.Contains(type) ? type : RecordType.CName)}"
                : null;
        }

        // Closest encloser proof (§7.2.1): the nearest ancestor with a matching NSEC3, a covered next closer name.
        var labels = name.Length == 0 ? [] : name.Split('.');
        var zoneLabels = zone.Length == 0 ? 0 : zone.Split('.').Length;
        for (var i = labels.Length - 1; i >= zoneLabels; i--)
        {
            var encloser = string.Join('.', labels[^i..]);
            if (Match(encloser) is null)
            {
                continue;
            }

            var nextCloser = string.Join('.', labels[^(i + 1)..]);
            if (!Covers(nextCloser))
            {
                return $"{what} does not hold: no NSEC3 record covers the next closer name {Show(nextCloser)}";
            }

            var wildcard = encloser.Length == 0 ? "*" : "*." + encloser;
            if (outcome == DnsOutcome.NxDomain)
            {
                return Covers(wildcard) ? null : $"{what} does not hold: no NSEC3 record covers the wildcard {wildcard}";
            }

            // NODATA through a wildcard (§8.7).
            return Match(wildcard) is { } w && !w.Types.Contains(type) && !w.Types.Contains(RecordType.CName)
                ? null
                : $"{what} does not hold: no NSEC3 record matches the name or a wildcard without {TypeName(type)}";
        }

        return $"{what} does not hold: no NSEC3 record matches a closest encloser";
    }

    /// <summary>
    /// "the RRSIG for x A is algorithm 8, but key tag 1234 of example is algorithm 13" for the
    /// first RRset none of whose RRSIGs by <paramref name="zone"/> matches a key in both key tag
    /// and algorithm while one matches a key by tag alone (RFC 4035 §5.3.1).
    /// </summary>
    private static string? AlgorithmMismatch(IEnumerable<RrSigRecord> sigs, string zone, IReadOnlyCollection<DnsKeyRecord> keys)
    {
        var rrsets = sigs
            .Where(s => DnsAnswerBuilder.NameOf(s.SignersName) == zone)
            .GroupBy(s => (Owner: DnsAnswerBuilder.NameOf(s.Name), s.TypeCovered));
        foreach (var rrset in rrsets)
        {
            if (rrset.Any(s => keys.Any(k => k.CalculateKeyTag() == s.KeyTag && k.Algorithm == s.Algorithm)))
            {
                continue;
            }

            foreach (var sig in rrset)
            {
                if (keys.FirstOrDefault(k => k.CalculateKeyTag() == sig.KeyTag) is { } key)
                {
                    return $"the RRSIG for {Show(sig.Name)} {TypeName(sig.TypeCovered)} is algorithm {(byte)sig.Algorithm}, but key tag {sig.KeyTag} of {Show(zone)} is algorithm {(byte)key.Algorithm} (RFC 4035 §5.3.1)";
                }
            }
        }

        return null;
    }

    private static bool Matches(DsRecord ds, DnsKeyRecord key)
    {
        if (ds.KeyTag != key.CalculateKeyTag() || ds.Algorithm != key.Algorithm || ds.DigestType is not (DnsSecDigestType.Sha1 or DnsSecDigestType.Sha256 or DnsSecDigestType.Sha384))
        {
            return false;
        }

        var computed = new DsRecord(key, 0, ds.DigestType);
        return computed.Digest.AsSpan().SequenceEqual(ds.Digest);
    }

    private static IEnumerable<RrSigRecord> Signatures(DnsMessage message) =>
        message.AnswerRecords.Concat(message.AuthorityRecords).OfType<RrSigRecord>();

    /// <summary>"RRSIG for x TYPE expired 2026-11-20" for the first signature outside its window.</summary>
    private static string? CheckTimes(DnsMessage message, DateTime now)
    {
        foreach (var sig in Signatures(message))
        {
            var what = $"RRSIG for {Show(sig.Name)} {TypeName(sig.TypeCovered)}";
            if (sig.SignatureExpiration.ToUniversalTime() < now)
            {
                return $"{what} expired {sig.SignatureExpiration.ToUniversalTime():yyyy-MM-dd}";
            }

            if (sig.SignatureInception.ToUniversalTime() > now)
            {
                return $"{what} is not valid before {sig.SignatureInception.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";
            }
        }

        return null;
    }

    private static string Show(ARSoft.Tools.Net.DomainName name) => Show(DnsAnswerBuilder.NameOf(name));

    private static string Show(string name) => name.Length == 0 ? "." : HostileName(name);

    /// <summary>Names come from the network: cap their length for messages.</summary>
    private static string HostileName(string name) => name.Length > 255 ? name[..255] + "..." : name;

    private static string TypeName(RecordType type) => type.ToString().ToUpperInvariant();
}
