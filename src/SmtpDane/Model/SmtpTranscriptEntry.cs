namespace SmtpDane.Model;

/// <summary>One line of an SMTP conversation, raw (without CRLF); renderers escape it.</summary>
public sealed record SmtpTranscriptEntry(SmtpDirection Direction, string Line);
