namespace SmtpDane.Tls;

/// <summary>
/// A completed TLS client handshake: the application-data <see cref="Stream"/> (for EHLO and
/// QUIT) and what the handshake showed. Disposing sends close_notify best-effort; the transport
/// stays open and remains the caller's to dispose.
/// </summary>
public sealed class TlsConnection : IAsyncDisposable
{
    private readonly TlsApplicationStream _stream;

    internal TlsConnection(TlsApplicationStream stream, TlsHandshakeInfo info)
    {
        _stream = stream;
        Info = info;
    }

    /// <summary>Application data over TLS; async reads and writes only.</summary>
    public Stream Stream => _stream;

    public TlsHandshakeInfo Info { get; }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
