using System.Buffers.Binary;

namespace SmtpDane.Dns;

/// <summary>
/// Encodes one recursive query with EDNS0 and the DO bit (RFC 1035 §4.1, RFC 6891 §6.1,
/// RFC 3225 §3). ARSoft.Tools.Net keeps its encoder internal, so the few bytes are written here;
/// answers are parsed with ARSoft's public <c>DnsMessage.Parse</c>.
/// </summary>
internal static class DnsQueryWriter
{
    /// <summary>EDNS0 UDP payload size recommended by DNS Flag Day 2020: avoids IP fragmentation.</summary>
    public const ushort UdpPayloadSize = 1232;

    private const ushort FlagRecursionDesired = 0x0100;
    private const ushort OptType = 41;
    private const uint DnssecOk = 0x8000;
    private const ushort ClassIn = 1;

    /// <summary>Null plus a reason when <paramref name="name"/> is not a valid DNS name.</summary>
    public static byte[]? Build(ushort id, string name, ushort type, out string? error)
    {
        var buffer = new List<byte>(64);
        AppendUShort(buffer, id);
        AppendUShort(buffer, FlagRecursionDesired);
        AppendUShort(buffer, 1); // QDCOUNT
        AppendUShort(buffer, 0); // ANCOUNT
        AppendUShort(buffer, 0); // NSCOUNT
        AppendUShort(buffer, 1); // ARCOUNT: the OPT record
        if (!TryAppendName(buffer, name, out error))
        {
            return null;
        }

        AppendUShort(buffer, type);
        AppendUShort(buffer, ClassIn);

        // OPT pseudo-RR (RFC 6891 §6.1.2): root owner, CLASS = payload size, TTL = ext-rcode,
        // version 0 and the DO flag (RFC 3225 §3), no options.
        buffer.Add(0);
        AppendUShort(buffer, OptType);
        AppendUShort(buffer, UdpPayloadSize);
        AppendUShort(buffer, 0);
        AppendUShort(buffer, (ushort)DnssecOk);
        AppendUShort(buffer, 0);
        return [.. buffer];
    }

    /// <summary>Lower-case, no trailing dot: the form every <see cref="DnsAnswer{T}"/> name takes.</summary>
    public static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();

    private static bool TryAppendName(List<byte> buffer, string name, out string? error)
    {
        var normalized = Normalize(name);
        var length = 1;
        if (normalized.Length > 0)
        {
            foreach (var label in normalized.Split('.'))
            {
                // RFC 1035 §2.3.4: labels 1..63 octets, names at most 255 octets on the wire.
                if (label.Length is 0 or > 63)
                {
                    error = "a label is empty or longer than 63 characters";
                    return false;
                }

                foreach (var c in label)
                {
                    if (c is <= ' ' or > '~')
                    {
                        error = "it contains a character that is not printable ASCII (use the A-label form of IDNs)";
                        return false;
                    }
                }

                length += 1 + label.Length;
                if (length > 255)
                {
                    error = "it is longer than 255 octets";
                    return false;
                }

                buffer.Add((byte)label.Length);
                foreach (var c in label)
                {
                    buffer.Add((byte)c);
                }
            }
        }

        buffer.Add(0);
        error = null;
        return true;
    }

    private static void AppendUShort(List<byte> buffer, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        buffer.Add(bytes[0]);
        buffer.Add(bytes[1]);
    }
}
