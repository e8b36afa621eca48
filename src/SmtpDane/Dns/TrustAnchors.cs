using System.Globalization;
using System.Xml;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using SmtpDane.Model;

namespace SmtpDane.Dns;

/// <summary>
/// Root trust anchors for <c>-dnssec local</c>: built in (KSK-2017 and KSK-2024, from IANA's
/// root-anchors.xml), or read from a file that replaces them. A file holds either zone-file
/// lines for "." (<c>. IN DS …</c> as in unbound's root.ds, or <c>. IN DNSKEY 257 3 …</c> as in
/// root.key or <c>dig DNSKEY .</c> output) or IANA's root-anchors.xml (RFC 9718), whose
/// validFrom/validUntil are honoured.
/// </summary>
public static class TrustAnchors
{
    /// <summary>Files larger than this are refused (the real ones are a few kilobytes).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>At most this many anchors are kept.</summary>
    public const int MaxAnchors = 64;

    private const ushort ZoneKeyFlag = 0x0100;
    private const ushort RevokeFlag = 0x0080;

    /// <summary>KSK-2017 (20326) and KSK-2024 (38696), both RSA/SHA-256, SHA-256 digests (IANA root-anchors.xml).</summary>
    public static IReadOnlyList<TrustAnchor> BuiltIn { get; } =
    [
        new(20326, 8, 2, Convert.FromHexString("E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D")),
        new(38696, 8, 2, Convert.FromHexString("683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16")),
    ];

    /// <summary>Reads a trust-anchor file; <paramref name="now"/> decides which XML anchors are valid.</summary>
    /// <remarks>Read through <see cref="BoundedFile"/>: the cap holds for devices and pipes, and <paramref name="ct"/> interrupts a blocked open or read (a FIFO).</remarks>
    /// <exception cref="TrustAnchorException">Unreadable, too big, malformed, or no usable anchor.</exception>
    public static async Task<IReadOnlyList<TrustAnchor>> LoadAsync(string path, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            var bytes = await BoundedFile.ReadAllBytesAsync(path, MaxFileBytes, ct).ConfigureAwait(false);
            text = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (FileTooLargeException)
        {
            throw new TrustAnchorException($"trust anchor file {path} is larger than {MaxFileBytes} bytes");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new TrustAnchorException($"cannot read trust anchor file {path}: {e.Message}", e);
        }

        return Parse(text, path, now);
    }

    /// <summary>Parses file contents; <paramref name="source"/> names the file in errors.</summary>
    public static IReadOnlyList<TrustAnchor> Parse(string text, string source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        var anchors = text.TrimStart().StartsWith('<') ? ParseXml(text, source, now) : ParseZone(text, source);
        if (anchors.Count == 0)
        {
            throw new TrustAnchorException($"trust anchor file {source} holds no usable anchor for \".\"; give DS or DNSKEY lines for \".\" or IANA's root-anchors.xml");
        }

        if (anchors.Count > MaxAnchors)
        {
            throw new TrustAnchorException($"trust anchor file {source} holds more than {MaxAnchors} anchors");
        }

        return anchors;
    }

    private static List<TrustAnchor> ParseZone(string text, string source)
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

    private static TrustAnchor Ds(ushort keyTag, byte algorithm, byte digestType, string hex, string source, int line)
    {
        byte[] digest;
        try
        {
            digest = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw Bad(source, line, "DS digest is not hexadecimal");
        }

        var expected = digestType switch { 1 => 20, 2 => 32, 4 => 48, _ => -1 };
        if (expected < 0)
        {
            throw Bad(source, line, $"DS digest type {digestType} is not 1 (SHA-1), 2 (SHA-256) or 4 (SHA-384)");
        }

        if (digest.Length != expected)
        {
            throw Bad(source, line, $"DS digest has {digest.Length} bytes; digest type {digestType} needs {expected}");
        }

        return new TrustAnchor(keyTag, algorithm, digestType, digest);
    }

    /// <summary>RFC 9718 §2: TrustAnchor/Zone "." and KeyDigest elements valid at <paramref name="now"/>.</summary>
    private static List<TrustAnchor> ParseXml(string text, string source, DateTimeOffset now)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxFileBytes,
            IgnoreComments = true,
            IgnoreWhitespace = true,
        };
        var anchors = new List<TrustAnchor>();
        var sawTrustAnchor = false;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            var lineInfo = (IXmlLineInfo)reader;
            reader.Read();
            while (!reader.EOF)
            {
                // ReadElementContentAsString moves past the element: only Read() when nothing was consumed.
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Zone")
                {
                    var line = lineInfo.LineNumber;
                    var zone = reader.ReadElementContentAsString().Trim();
                    if (zone != ".")
                    {
                        throw Bad(source, line, $"Zone {Shown(zone)} is not the root \".\"");
                    }

                    continue;
                }

                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "TrustAnchor")
                {
                    sawTrustAnchor = true;
                }
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "KeyDigest")
                {
                    var line = lineInfo.LineNumber;
                    var validFrom = Time(reader.GetAttribute("validFrom"), "validFrom", source, line);
                    var validUntil = Time(reader.GetAttribute("validUntil"), "validUntil", source, line);
                    var anchor = ReadKeyDigest(reader.ReadSubtree(), source, line);
                    if ((validFrom is null || validFrom <= now) && (validUntil is null || now < validUntil))
                    {
                        anchors.Add(anchor);
                    }
                }

                reader.Read();
            }
        }
        catch (XmlException e)
        {
            throw new TrustAnchorException($"{source}:{e.LineNumber}: not well-formed XML: {e.Message}", e);
        }

        if (!sawTrustAnchor)
        {
            throw Bad(source, 1, "XML without a TrustAnchor element (expected IANA's root-anchors.xml)");
        }

        if (anchors.Count == 0)
        {
            throw new TrustAnchorException($"{source}: no KeyDigest is valid at {now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} (check validFrom/validUntil)");
        }

        return anchors;
    }

    private static TrustAnchor ReadKeyDigest(XmlReader reader, string source, int line)
    {
        string? keyTag = null, algorithm = null, digestType = null, digest = null;
        using (reader)
        {
            reader.Read(); // the KeyDigest element itself
            reader.Read();
            while (!reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element || reader.Depth != 1)
                {
                    reader.Read();
                    continue;
                }

                switch (reader.LocalName)
                {
                    case "KeyTag": keyTag = reader.ReadElementContentAsString().Trim(); break;
                    case "Algorithm": algorithm = reader.ReadElementContentAsString().Trim(); break;
                    case "DigestType": digestType = reader.ReadElementContentAsString().Trim(); break;
                    case "Digest": digest = reader.ReadElementContentAsString().Trim(); break;
                    default: reader.Skip(); break;
                }
            }
        }

        if (keyTag is null || algorithm is null || digestType is null || digest is null)
        {
            throw Bad(source, line, "KeyDigest needs KeyTag, Algorithm, DigestType and Digest");
        }

        return Ds(
            (ushort)Number(keyTag, ushort.MaxValue, "KeyTag", source, line),
            (byte)Number(algorithm, byte.MaxValue, "Algorithm", source, line),
            (byte)Number(digestType, byte.MaxValue, "DigestType", source, line),
            digest,
            source,
            line);
    }

    private static DateTimeOffset? Time(string? value, string what, string source, int line)
    {
        if (value is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw Bad(source, line, $"{what} {Shown(value)} is not a date-time");
    }

    private static int Number(string s, int max, string what, string source, int line) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max
            ? n
            : throw Bad(source, line, $"{what} {Shown(s)} is not a number from 0 to {max}");

    private static bool IsTtl(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    private static string Shown(string s) => "\"" + (s.Length > 40 ? s[..40] + "..." : s) + "\"";

    private static TrustAnchorException Bad(string source, int line, string why) => new($"{source}:{line}: {why}");
}
