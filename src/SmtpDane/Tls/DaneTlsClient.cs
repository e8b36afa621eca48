using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using SmtpDane.Model;
using SmtpDane.Net;

namespace SmtpDane.Tls;

/// <summary>
/// Runs the TLS client handshake for a DANE probe (RFC 7672 §8.1: TLS 1.2+, SNI) over a stream it
/// did not open, using BouncyCastle in non-blocking mode pumped by async I/O. Any server
/// certificate is accepted here and recorded exactly as sent; DANE verification comes later.
/// What a server can make us hold is bounded (<see cref="MaxCertificates"/>,
/// <see cref="MaxCertificateBytes"/>, <see cref="MaxHandshakeMessageBytes"/>), and the whole
/// handshake by <see cref="HandshakeTimeout"/>.
/// </summary>
public sealed class DaneTlsClient
{
    public const int MaxCertificates = 32;

    public const int MaxCertificateBytes = 64 * 1024;

    /// <summary>Largest handshake message (in practice the Certificate message) we reassemble.</summary>
    public const int MaxHandshakeMessageBytes = 256 * 1024;

    private readonly TimeProvider _timeProvider;

    public DaneTlsClient(TimeSpan handshakeTimeout, TimeProvider? timeProvider = null)
    {
        NetText.ValidateTimeout(handshakeTimeout, nameof(handshakeTimeout));
        HandshakeTimeout = handshakeTimeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public TimeSpan HandshakeTimeout { get; }

    /// <summary>
    /// Handshakes over <paramref name="transport"/> with SNI <paramref name="serverName"/> (skipped
    /// for IP literals). Throws <see cref="TlsHandshakeException"/> when the handshake fails,
    /// <see cref="TimeoutException"/> when <see cref="HandshakeTimeout"/> passes, and
    /// <see cref="OperationCanceledException"/> when <paramref name="ct"/> is cancelled. The
    /// transport is never disposed here.
    /// </summary>
    public async Task<TlsConnection> ConnectAsync(Stream transport, string serverName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var crypto = new BcTlsCrypto(new SecureRandom(KernelRandomGenerator.Instance));
        var peer = new DaneTlsPeer(crypto, serverName, MaxCertificates, MaxHandshakeMessageBytes);
        var capture = new HandshakeCapture(MaxCertificates, MaxCertificateBytes);
        var protocol = new CapturingClientProtocol(capture);
        var stream = new TlsApplicationStream(transport, protocol);

        var started = _timeProvider.GetTimestamp();
        using var deadline = new CancellationTokenSource(HandshakeTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            await HandshakeAsync(stream, peer, capture, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"timeout during TLS handshake after {NetText.Duration(HandshakeTimeout)}", ex);
        }

        var elapsed = _timeProvider.GetElapsedTime(started);
        var parameters = protocol.TlsContext.SecurityParameters;
        var info = new TlsHandshakeInfo(
            TlsText.Version(parameters.NegotiatedVersion),
            TlsText.CipherSuiteName(parameters.CipherSuite),
            capture.Certificates ?? [],
            capture.OcspStaple,
            elapsed);
        return new TlsConnection(stream, info);
    }

    private static async Task HandshakeAsync(
        TlsApplicationStream stream, DaneTlsPeer peer, HandshakeCapture capture, CancellationToken ct)
    {
        stream.Run(p => ((TlsClientProtocol)p).Connect(peer)); // queues the ClientHello
        var first = true;
        while (true)
        {
            await SendAsync(stream, ct).ConfigureAwait(false);
            if (peer.HandshakeComplete)
            {
                return;
            }

            int n;
            try
            {
                n = await stream.ReceiveAsync(ct).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new TlsHandshakeException($"connection lost during the TLS handshake: {ex.Message}", ex)
                {
                    Failure = TlsHandshakeFailure.ConnectionClosed,
                };
            }

            if (n == 0)
            {
                throw new TlsHandshakeException(
                    peer.AlertReceived is { } a
                        ? $"TLS handshake failed: server sent alert {TlsText.Alert(a)} and closed the connection"
                        : "server closed the connection during the TLS handshake")
                {
                    Failure = peer.AlertReceived is null ? TlsHandshakeFailure.ConnectionClosed : TlsHandshakeFailure.AlertReceived,
                    Alert = peer.AlertReceived,
                };
            }

            if (first)
            {
                CheckLooksLikeTls(stream.Received(n));
                first = false;
            }

            try
            {
                stream.Offer(n);
            }
            catch (IOException ex)
            {
                // Our fatal alert, if any, is queued: let the server see why we stop.
                await stream.SendPendingBestEffortAsync().ConfigureAwait(false);
                throw Failure(ex, peer, capture);
            }
        }
    }

    private static async Task SendAsync(TlsApplicationStream stream, CancellationToken ct)
    {
        try
        {
            await stream.SendPendingAsync(ct).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            throw new TlsHandshakeException($"connection lost during the TLS handshake: {ex.Message}", ex)
            {
                Failure = TlsHandshakeFailure.ConnectionClosed,
            };
        }
    }

    /// <summary>
    /// A server's first record is a handshake (22) or alert (21) with major version 3
    /// (RFC 8446 §5.1); anything else is no TLS server, often an SMTP reply ("220 ").
    /// </summary>
    private static void CheckLooksLikeTls(ReadOnlySpan<byte> head)
    {
        if ((head[0] == ContentType.handshake || head[0] == ContentType.alert) && (head.Length < 2 || head[1] == 3))
        {
            return;
        }

        var plaintextSmtp = head.Length >= 3 && char.IsAsciiDigit((char)head[0]) && char.IsAsciiDigit((char)head[1]) && char.IsAsciiDigit((char)head[2]);
        throw new TlsHandshakeException(
            $"not a TLS server reply (first bytes {TlsText.HexHead(head, 4)}{(plaintextSmtp ? ": plaintext SMTP?" : "")})")
        {
            Failure = TlsHandshakeFailure.NotTls,
        };
    }

    private static TlsHandshakeException Failure(IOException ex, DaneTlsPeer peer, HandshakeCapture capture)
    {
        if (capture.Failure is { } limit)
        {
            return new TlsHandshakeException(limit.Message, ex) { Failure = limit.Failure, Alert = (ex as TlsFatalAlert)?.AlertDescription };
        }

        return ex switch
        {
            TlsFatalAlertReceived r => new TlsHandshakeException($"TLS handshake failed: server sent alert {TlsText.Alert(r.AlertDescription)}", ex)
            {
                Failure = TlsHandshakeFailure.AlertReceived,
                Alert = r.AlertDescription,
            },
            TlsFatalAlert when peer.AlertReceived is { } a => new TlsHandshakeException($"TLS handshake failed: server sent alert {TlsText.Alert(a)}", ex)
            {
                Failure = TlsHandshakeFailure.AlertReceived,
                Alert = a,
            },
            TlsFatalAlert f => new TlsHandshakeException($"TLS handshake failed: {Detail(f)}", ex)
            {
                Failure = TlsHandshakeFailure.ProtocolError,
                Alert = f.AlertDescription,
            },
            _ => new TlsHandshakeException($"TLS handshake failed: {ex.Message}", ex),
        };
    }

    /// <summary>"we sent alert decode_error(50); detail" plus the underlying cause when BouncyCastle gives no detail.</summary>
    private static string Detail(TlsFatalAlert f)
    {
        var text = TlsApplicationStream.Describe(f);
        return f.InnerException is { } inner && !f.Message.Contains(';', StringComparison.Ordinal) ? $"{text} ({inner.Message})" : text;
    }
}
