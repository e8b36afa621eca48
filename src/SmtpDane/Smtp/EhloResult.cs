namespace SmtpDane.Smtp;

/// <summary>
/// A positive EHLO reply and the extension keywords it advertised (RFC 5321 §4.1.1.1: every
/// line after the first is "keyword [params]"), upper-cased, compared case-insensitively.
/// </summary>
public sealed record EhloResult(SmtpReply Reply, IReadOnlySet<string> Extensions)
{
    /// <summary>The server offers STARTTLS (RFC 3207 §4).</summary>
    public bool SupportsStartTls => Extensions.Contains("STARTTLS");
}
