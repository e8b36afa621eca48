using System.Diagnostics.CodeAnalysis;
using Org.BouncyCastle.Tls;

namespace SmtpDane.Tls;

/// <summary>
/// Keeps the server's Certificate and CertificateStatus messages byte-exact (BouncyCastle
/// re-encodes what it parses) and enforces our limits before BouncyCastle parses anything.
/// Malformed messages are left for BouncyCastle to reject with its own alert.
/// </summary>
internal sealed class HandshakeCapture
{
    private const int StatusRequestExtension = 5; // RFC 6066 §8
    private const int OcspStatusType = 1;         // CertificateStatusType.ocsp

    private readonly int _maxCertificates;
    private readonly int _maxCertificateBytes;

    public HandshakeCapture(int maxCertificates, int maxCertificateBytes)
    {
        _maxCertificates = maxCertificates;
        _maxCertificateBytes = maxCertificateBytes;
    }

    public IReadOnlyList<byte[]>? Certificates { get; private set; }

    public byte[]? OcspStaple { get; private set; }

    /// <summary>Set just before we abort the handshake because of a limit or an empty chain.</summary>
    public TlsHandshakeException? Failure { get; private set; }

    /// <summary>
    /// The server's Certificate message body. TLS 1.2 (RFC 5246 §7.4.2): certificate_list&lt;0..2^24-1&gt;
    /// of opaque ASN.1Cert&lt;1..2^24-1&gt;. TLS 1.3 (RFC 8446 §4.4.2): request context&lt;0..255&gt;, then
    /// entries that add extensions&lt;0..2^16-1&gt; after each certificate; the leaf's may hold
    /// status_request with the staple (RFC 8446 §4.4.2.1).
    /// </summary>
    public void OnCertificate(ReadOnlySpan<byte> body, bool tls13)
    {
        if (Certificates is not null)
        {
            return; // a second Certificate is BouncyCastle's to reject
        }

        var r = new WireReader(body);
        if (tls13 && !r.TrySkipOpaque8())
        {
            return;
        }

        if (!r.TryReadOpaque24(out var list) || !r.AtEnd)
        {
            return;
        }

        if (list.IsEmpty)
        {
            Fail(TlsHandshakeFailure.EmptyCertificateList, "server sent an empty certificate list");
        }

        var certificates = new List<byte[]>();
        byte[]? staple = null;
        var entries = new WireReader(list);
        while (!entries.AtEnd)
        {
            if (certificates.Count == _maxCertificates)
            {
                Fail(TlsHandshakeFailure.LimitExceeded, $"server sent more than {_maxCertificates} certificates");
            }

            if (!entries.TryReadUInt24(out var length))
            {
                return;
            }

            if (length > _maxCertificateBytes)
            {
                Fail(
                    TlsHandshakeFailure.LimitExceeded,
                    $"server certificate #{certificates.Count + 1} is {length} bytes, over our limit of {_maxCertificateBytes}");
            }

            if (!entries.TryReadBytes(length, out var der))
            {
                return;
            }

            certificates.Add(der.ToArray());
            if (tls13)
            {
                if (!entries.TryReadOpaque16(out var extensions))
                {
                    return;
                }

                if (certificates.Count == 1)
                {
                    staple = FindStaple(extensions);
                }
            }
        }

        Certificates = certificates;
        OcspStaple ??= staple;
    }

    /// <summary>TLS 1.2 CertificateStatus body (RFC 6066 §8): status_type, then OCSPResponse&lt;1..2^24-1&gt;.</summary>
    public void OnCertificateStatus(ReadOnlySpan<byte> body)
    {
        var r = new WireReader(body);
        if (r.TryReadUInt8(out var type) && type == OcspStatusType
            && r.TryReadOpaque24(out var response) && r.AtEnd && !response.IsEmpty)
        {
            OcspStaple = response.ToArray();
        }
    }

    /// <summary>The status_request extension of a TLS 1.3 CertificateEntry, as a CertificateStatus.</summary>
    private static byte[]? FindStaple(ReadOnlySpan<byte> extensions)
    {
        var r = new WireReader(extensions);
        while (!r.AtEnd)
        {
            if (!r.TryReadUInt16(out var type) || !r.TryReadOpaque16(out var data))
            {
                return null;
            }

            if (type == StatusRequestExtension)
            {
                var s = new WireReader(data);
                return s.TryReadUInt8(out var statusType) && statusType == OcspStatusType
                    && s.TryReadOpaque24(out var response) && s.AtEnd && !response.IsEmpty
                    ? response.ToArray()
                    : null;
            }
        }

        return null;
    }

    [DoesNotReturn]
    private void Fail(TlsHandshakeFailure kind, string reason)
    {
        Failure = new TlsHandshakeException($"TLS handshake failed: {reason}") { Failure = kind };

        // BouncyCastle sends this alert to the server and rethrows it from OfferInput.
        throw new TlsFatalAlert(
            kind == TlsHandshakeFailure.EmptyCertificateList ? AlertDescription.decode_error : AlertDescription.internal_error,
            reason);
    }

    /// <summary>Bounds-checked big-endian reads over a span (RFC 8446 §3 presentation language).</summary>
    private ref struct WireReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool AtEnd => _rest.IsEmpty;

        public bool TryReadUInt8(out int value) => TryReadUInt(1, out value);

        public bool TryReadUInt16(out int value) => TryReadUInt(2, out value);

        public bool TryReadUInt24(out int value) => TryReadUInt(3, out value);

        public bool TryReadBytes(int length, out ReadOnlySpan<byte> bytes)
        {
            if (length < 0 || length > _rest.Length)
            {
                bytes = default;
                return false;
            }

            bytes = _rest[..length];
            _rest = _rest[length..];
            return true;
        }

        public bool TrySkipOpaque8() => TryReadUInt8(out var n) && TryReadBytes(n, out _);

        public bool TryReadOpaque16(out ReadOnlySpan<byte> bytes)
        {
            bytes = default;
            return TryReadUInt16(out var n) && TryReadBytes(n, out bytes);
        }

        public bool TryReadOpaque24(out ReadOnlySpan<byte> bytes)
        {
            bytes = default;
            return TryReadUInt24(out var n) && TryReadBytes(n, out bytes);
        }

        private bool TryReadUInt(int size, out int value)
        {
            value = 0;
            if (_rest.Length < size)
            {
                return false;
            }

            for (var i = 0; i < size; i++)
            {
                value = (value << 8) | _rest[i];
            }

            _rest = _rest[size..];
            return true;
        }
    }
}
