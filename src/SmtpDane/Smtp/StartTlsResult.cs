namespace SmtpDane.Smtp;

/// <summary>
/// The server's 220 to STARTTLS (RFC 3207 §4) and how many plaintext bytes it sent after that
/// reply, before the TLS handshake. Those bytes were discarded, never handed to TLS or read as
/// a reply (CVE-2011-0411); a non-zero count deserves a warning.
/// </summary>
public sealed record StartTlsResult(SmtpReply Reply, int DiscardedPlaintextBytes);
