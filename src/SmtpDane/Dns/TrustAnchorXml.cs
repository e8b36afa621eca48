using System.Globalization;
using System.Xml;
using static SmtpDane.Dns.TrustAnchors;

namespace SmtpDane.Dns;

/// <summary>Trust anchors from IANA's root-anchors.xml (RFC 9718), honouring validFrom/validUntil.</summary>
internal static class TrustAnchorXml
{
    /// <summary>RFC 9718 §2: TrustAnchor/Zone "." and KeyDigest elements valid at <paramref name="now"/>.</summary>
    public static List<TrustAnchor> Parse(string text, string source, DateTimeOffset now)
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
}
