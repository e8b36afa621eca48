namespace SmtpDane.Tls;

/// <summary>
/// The TLS handshake failed; the message is operator-readable ("TLS handshake failed: server sent
/// alert handshake_failure(40)"). Timeouts are <see cref="TimeoutException"/>, caller cancels
/// <see cref="OperationCanceledException"/>, neither this.
/// </summary>
public sealed class TlsHandshakeException : Exception
{
    public TlsHandshakeException()
    {
    }

    public TlsHandshakeException(string message)
        : base(message)
    {
    }

    public TlsHandshakeException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public TlsHandshakeFailure Failure { get; init; } = TlsHandshakeFailure.ProtocolError;

    /// <summary>The alert (RFC 8446 §6) the server sent or we sent, when one is known.</summary>
    public int? Alert { get; init; }
}
