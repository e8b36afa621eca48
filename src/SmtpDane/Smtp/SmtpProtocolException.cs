namespace SmtpDane.Smtp;

/// <summary>
/// The server broke the protocol (malformed or over-long reply, closed connection, unexpected
/// bytes): the session cannot continue and should be dropped. Contrast
/// <see cref="SmtpCommandException"/>, a well-formed refusal.
/// </summary>
public sealed class SmtpProtocolException : Exception
{
    public SmtpProtocolException()
    {
    }

    public SmtpProtocolException(string message)
        : base(message)
    {
    }

    public SmtpProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>True when the cause was the connection closing or failing (EOF, reset), not bad data.</summary>
    public bool ConnectionClosed { get; init; }
}
