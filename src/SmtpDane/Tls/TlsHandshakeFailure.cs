namespace SmtpDane.Tls;

/// <summary>Why a TLS handshake failed, for <c>Probing/</c> to pick a finding code.</summary>
public enum TlsHandshakeFailure
{
    /// <summary>The server sent a fatal alert (or a warning alert that ends the handshake).</summary>
    AlertReceived,

    /// <summary>We aborted: the server's messages broke the protocol or could not be processed.</summary>
    ProtocolError,

    /// <summary>The server closed (or reset) the connection mid-handshake.</summary>
    ConnectionClosed,

    /// <summary>The reply was not a TLS record at all (often plaintext SMTP).</summary>
    NotTls,

    /// <summary>The server's Certificate message held no certificates.</summary>
    EmptyCertificateList,

    /// <summary>The server's chain exceeded our certificate count or size limits.</summary>
    LimitExceeded,
}
