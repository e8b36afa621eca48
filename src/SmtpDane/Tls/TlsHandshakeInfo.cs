namespace SmtpDane.Tls;

/// <summary>
/// What a completed handshake showed. <see cref="Certificates"/> are the DER bytes exactly as the
/// server sent them, leaf first (RFC 8446 §4.4.2), unverified: DANE checks them later.
/// <see cref="OcspStaple"/> is the stapled OCSPResponse DER (RFC 6066 §8, RFC 8446 §4.4.2.1), or null.
/// </summary>
public sealed record TlsHandshakeInfo(
    string Version,
    string CipherSuite,
    IReadOnlyList<byte[]> Certificates,
    byte[]? OcspStaple,
    TimeSpan HandshakeTime);
