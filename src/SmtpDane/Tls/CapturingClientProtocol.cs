using Org.BouncyCastle.Tls;

namespace SmtpDane.Tls;

/// <summary>
/// A non-blocking <see cref="TlsClientProtocol"/> that shows the server's Certificate and
/// CertificateStatus messages to a <see cref="HandshakeCapture"/> before BouncyCastle parses them.
/// </summary>
internal sealed class CapturingClientProtocol : TlsClientProtocol
{
    private readonly HandshakeCapture _capture;

    /// <summary>Non-blocking mode: the caller moves bytes with OfferInput / ReadOutput.</summary>
    public CapturingClientProtocol(HandshakeCapture capture)
    {
        _capture = capture;
    }

    /// <summary>The connection's context (negotiated version, cipher suite).</summary>
    internal TlsContext TlsContext => Context;

    protected override void HandleHandshakeMessage(short type, HandshakeMessageInput buf)
    {
        if ((type == HandshakeType.certificate || type == HandshakeType.certificate_status)
            && buf.TryGetBuffer(out var segment))
        {
            // The stream is positioned at the start of the message body; leave it there.
            var body = segment.AsSpan((int)buf.Position);
            if (type == HandshakeType.certificate)
            {
                _capture.OnCertificate(body, TlsUtilities.IsTlsV13(Context.SecurityParameters.NegotiatedVersion));
            }
            else
            {
                _capture.OnCertificateStatus(body);
            }
        }

        base.HandleHandshakeMessage(type, buf);
    }
}
