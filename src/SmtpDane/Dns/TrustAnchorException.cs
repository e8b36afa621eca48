namespace SmtpDane.Dns;

/// <summary>A -trust-anchor file is unreadable or malformed; the message names the file and line.</summary>
public sealed class TrustAnchorException : Exception
{
    public TrustAnchorException()
    {
    }

    public TrustAnchorException(string message)
        : base(message)
    {
    }

    public TrustAnchorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
