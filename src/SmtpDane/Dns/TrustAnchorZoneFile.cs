using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using static SmtpDane.Dns.TrustAnchors;

namespace SmtpDane.Dns;

/// <summary>
/// Trust anchors from zone-file lines for "." (<c>. IN DS …</c> as in unbound's root.ds, or
/// <c>. IN DNSKEY 257 3 …</c> as in root.key or <c>dig DNSKEY .</c> output).
/// </summary>
internal static class TrustAnchorZoneFile
{
    private const ushort ZoneKeyFlag = 0x0100;
    private const ushort RevokeFlag = 0x0080;

    /// <summary>Every record of <paramref name="text"/>; revoked or non-zone DNSKEYs are skipped.</summary>
    public static List<TrustAnchor> Parse(string text, string source)
    {
        var anchors = new List<TrustAnchor>();
        var tokens = new List<string>();
        var depth = 0;
        var startLine = 0;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var comment = line.IndexOf(';', StringComparison.Ordinal);
            if (comment >= 0)
            {
                line = line[..comment];
            }

            if (depth == 0)
            {
                startLine = i + 1;
            }

            // RFC 1035 §5.1: parentheses continue a record over several lines.
            foreach (var raw in line.Replace("(", " ( ", StringComparison.Ordinal).Replace(")", " ) ", StringComparison.Ordinal)
                         .Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (raw == "(")
                {
                    depth++;
                }
                else if (raw == ")")
                {
                    if (--depth < 0)
                    {
                        throw Bad(source, i + 1, "unbalanced ')'");
                    }
                }
                else
                {
                    tokens.Add(raw);
                }
            }

            if (depth == 0 && tokens.Count > 0)
            {
                if (ParseRecord(tokens, source, startLine) is { } anchor)
                {
                    anchors.Add(anchor);
                }

                tokens.Clear();
            }
        }

        if (depth != 0)
        {
            throw Bad(source, startLine, "unbalanced '('");
        }

        return anchors;
    }

    /// <summary>One record: owner [ttl] [class] type rdata. Null for a revoked or non-zone DNSKEY (skipped).</summary>
    private static TrustAnchor? ParseRecord(List<string> tokens, string source, int line)
    {
        if (tokens[0] != ".")
        {
            throw Bad(source, line, $"owner {Shown(tokens[0])} is not the root \".\"; only root anchors are supported");
        }

        var at = 1;
        while (at < tokens.Count && (IsTtl(tokens[at]) || tokens[at].Equals("IN", StringComparison.OrdinalIgnoreCase)))
        {
            at++;
        }

        if (at >= tokens.Count)
        {
            throw Bad(source, line, "missing record type (DS or DNSKEY)");
        }

        var type = tokens[at].ToUpperInvariant();
        var rdata = tokens.Skip(at + 1).ToList();
        return type switch
        {
            "DS" => ParseDs(rdata, source, line),
            "DNSKEY" => ParseDnsKey(rdata, source, line),
            _ => throw Bad(source, line, $"record type {Shown(tokens[at])} is not DS or DNSKEY"),
        };
    }

    private static TrustAnchor ParseDs(List<string> rdata, string source, int line)
    {
        if (rdata.Count < 4)
        {
            throw Bad(source, line, "DS needs key tag, algorithm, digest type and digest");
        }

        var keyTag = Number(rdata[0], ushort.MaxValue, "key tag", source, line);
        var algorithm = Number(rdata[1], byte.MaxValue, "algorithm", source, line);
        var digestType = Number(rdata[2], byte.MaxValue, "digest type", source, line);
        return Ds((ushort)keyTag, (byte)algorithm, (byte)digestType, string.Concat(rdata.Skip(3)), source, line);
    }

    private static TrustAnchor? ParseDnsKey(List<string> rdata, string source, int line)
    {
        if (rdata.Count < 4)
        {
            throw Bad(source, line, "DNSKEY needs flags, protocol, algorithm and public key");
        }

        var flags = (ushort)Number(rdata[0], ushort.MaxValue, "flags", source, line);
        var protocol = Number(rdata[1], byte.MaxValue, "protocol", source, line);
        var algorithm = (byte)Number(rdata[2], byte.MaxValue, "algorithm", source, line);
        if (protocol != 3)
        {
            throw Bad(source, line, $"DNSKEY protocol is {protocol}, not 3 (RFC 4034 §2.1.2)");
        }

        byte[] publicKey;
        try
        {
            publicKey = Convert.FromBase64String(string.Concat(rdata.Skip(3)));
        }
        catch (FormatException)
        {
            throw Bad(source, line, "DNSKEY public key is not valid base64");
        }

        if (publicKey.Length == 0)
        {
            throw Bad(source, line, "DNSKEY public key is empty");
        }

        if ((flags & ZoneKeyFlag) == 0 || (flags & RevokeFlag) != 0)
        {
            return null; // RFC 4034 §2.1.1, RFC 5011 §7: not usable as an anchor.
        }

        var key = new DnsKeyRecord(DomainName.Root, RecordClass.INet, 0, (DnsKeyFlags)flags, 3, (DnsSecAlgorithm)algorithm, publicKey, null);
        var ds = new DsRecord(key, 0, DnsSecDigestType.Sha256);
        return new TrustAnchor(key.CalculateKeyTag(), algorithm, (byte)DnsSecDigestType.Sha256, ds.Digest);
    }

    private static bool IsTtl(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);
}
