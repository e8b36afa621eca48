namespace SmtpDane.Net;

/// <summary>A connection (or proxy negotiation) failed; the message names what and where.</summary>
public sealed class ConnectException : Exception
{
    public ConnectException()
    {
    }

    public ConnectException(string message)
        : base(message)
    {
    }

    public ConnectException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>True when the failure was the SOCKS proxy's, not the target's.</summary>
    public bool ViaProxy { get; init; }
}
