using SmtpDane.Model;

namespace SmtpDane.Dane;

/// <summary>Which TLSA records an SMTP client may use (RFC 7672 §3.1.3).</summary>
public static class TlsaUsability
{
    /// <summary>Null when the record is usable; otherwise one phrase saying why not.</summary>
    public static string? UnusableReason(TlsaRecord record)
    {
        switch (record.Usage)
        {
            case (byte)TlsaUsage.PkixTa:
            case (byte)TlsaUsage.PkixEe:
                // RFC 7672 §3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP.
                return $"certificate usage {record.Usage} ({(record.Usage == 0 ? "PKIX-TA" : "PKIX-EE")}) is not used for SMTP (RFC 7672 §3.1.3)";
            case (byte)TlsaUsage.DaneTa:
            case (byte)TlsaUsage.DaneEe:
                break;
            default:
                return $"unknown certificate usage {record.Usage}";
        }

        if (record.Selector > (byte)TlsaSelector.SubjectPublicKeyInfo)
        {
            return $"unknown selector {record.Selector}";
        }

        var expectedLength = record.MatchingType switch
        {
            (byte)TlsaMatchingType.Full => -1,
            (byte)TlsaMatchingType.Sha256 => 32,
            (byte)TlsaMatchingType.Sha512 => 64,
            _ => -2,
        };
        if (expectedLength == -2)
        {
            return $"unknown matching type {record.MatchingType}";
        }

        if (expectedLength > 0 && record.Data.Length != expectedLength)
        {
            return $"association data is {record.Data.Length} bytes, a {(expectedLength == 32 ? "SHA-256" : "SHA-512")} digest is {expectedLength}";
        }

        if (record.Data.Length == 0)
        {
            return "association data is empty";
        }

        return null;
    }
}
