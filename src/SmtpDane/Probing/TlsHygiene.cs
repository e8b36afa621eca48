using SmtpDane.Findings;

namespace SmtpDane.Probing;

/// <summary>TLS settings that do not decide DANE but that a sender or a scanner (internet.nl, Hardenize) flags.</summary>
public static class TlsHygiene
{
    /// <summary>
    /// RFC 8996 deprecates TLS 1.0 and 1.1, and RFC 7672 §8.1 wants TLS 1.2 or later. An error,
    /// not a warning: OpenSSL 3 at its default security level (so Postfix's posttls-finger on
    /// Debian) and Go since 1.22 cannot complete the handshake, and a DANE sender defers mail when
    /// TLS fails (RFC 7672 §2.2). "Verified" beside it would be a false OK for those senders.
    /// <paramref name="version"/> is OpenSSL's spelling ("TLSv1.0").
    /// </summary>
    public static Finding? OldVersion(string version, string where) => version is "TLSv1.0" or "TLSv1.1" or "SSLv3"
        ? Finding.Error(
            FindingCodes.TlsOldVersion,
            $"{where} negotiated {version}, which is deprecated (RFC 8996) and refused by senders that require TLS 1.2 (OpenSSL 3 at its default security level, Go since 1.22), so DANE senders with them defer mail to it although the certificate matches; enable TLS 1.2 and 1.3 on the server",
            new Dictionary<string, string> { ["version"] = version, ["minimum"] = "TLSv1.2" })
        : null;
}
