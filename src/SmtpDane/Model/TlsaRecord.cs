namespace SmtpDane.Model;

/// <summary>
/// One TLSA record as published (RFC 6698 §2.1). The fields keep their wire values, whatever they
/// are: an unknown usage, selector or matching type is data to report, not something to cast into
/// an enum silently (RFC 7672 §3.1.3 makes such records "unusable").
/// <code>
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Cert. Usage  |   Selector    | Matching Type |               /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+               /
/// /                 Certificate Association Data                  /
/// </code>
/// </summary>
public sealed record TlsaRecord(byte Usage, byte Selector, byte MatchingType, byte[] Data)
{
    /// <summary>Postfix's presentation: "u s m hex", long data shortened head…tail.</summary>
    public override string ToString()
    {
        var hex = Convert.ToHexStringLower(Data);
        if (hex.Length > 64)
        {
            hex = string.Concat(hex.AsSpan(0, 16), "...", hex.AsSpan(hex.Length - 16));
        }

        return $"{Usage} {Selector} {MatchingType} {hex}";
    }

    public bool Equals(TlsaRecord? other) =>
        other is not null && Usage == other.Usage && Selector == other.Selector &&
        MatchingType == other.MatchingType && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(Usage, Selector, MatchingType, Data.Length);
}
