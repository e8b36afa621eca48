namespace SmtpDane.Model;

/// <summary>Who sent a transcript line.</summary>
public enum SmtpDirection
{
    /// <summary>We sent it (C:).</summary>
    Client,

    /// <summary>The server sent it (S:).</summary>
    Server,
}
