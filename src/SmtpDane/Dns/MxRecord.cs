namespace SmtpDane.Dns;

/// <summary>An MX record (RFC 5321 §5.1). Exchange "" (the root) with preference 0 is a null MX (RFC 7505).</summary>
public sealed record MxRecord(ushort Preference, string Exchange);
