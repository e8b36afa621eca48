using System.Net;
using System.Text;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace SmtpDane.Tls;

/// <summary>
/// The BouncyCastle client policy: TLS 1.3 down to 1.0 (older ones reported), SNI, OCSP status_request, and no
/// certificate verification at the TLS layer (DANE verifies the recorded chain afterwards).
/// </summary>
internal sealed class DaneTlsPeer : DefaultTlsClient
{
    // A broad list, AEAD first: we probe what a sending MTA would get, and for opportunistic SMTP
    // any TLS beats cleartext (RFC 7435 §1). Anonymous suites are left out: DANE needs a chain.
    private static readonly int[] Offered =
    [
        CipherSuite.TLS_AES_256_GCM_SHA384,
        CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256,
        CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
    ];

    private readonly string? _sniName;
    private readonly int _maxCertificates;
    private readonly int _maxHandshakeMessageBytes;

    public DaneTlsPeer(TlsCrypto crypto, string serverName, int maxCertificates, int maxHandshakeMessageBytes)
        : base(crypto)
    {
        _sniName = SniName(serverName);
        _maxCertificates = maxCertificates;
        _maxHandshakeMessageBytes = maxHandshakeMessageBytes;
    }

    public bool HandshakeComplete { get; private set; }

    /// <summary>The last alert the server sent, if any (a warning close_notify also ends a handshake).</summary>
    public short? AlertReceived { get; private set; }

    /// <summary>
    /// RFC 7672 §8.1: send SNI with the TLSA base domain. RFC 6066 §3: no IP literals, no trailing dot.
    /// Null when <paramref name="serverName"/> is an address.
    /// </summary>
    internal static string? SniName(string serverName)
    {
        ArgumentException.ThrowIfNullOrEmpty(serverName);
        var name = serverName.TrimEnd('.');
        if (IPAddress.TryParse(name.Trim('[', ']'), out _))
        {
            return null;
        }

        if (name.Length == 0 || name.Length > 253 || name.Any(c => c <= ' ' || c >= 0x7f))
        {
            throw new ArgumentException("server name must be an ASCII (A-label) host name", nameof(serverName));
        }

        return name;
    }

    public override TlsAuthentication GetAuthentication() => new AcceptAnyServerCertificate();

    public override int GetMaxCertificateChainLength() => _maxCertificates;

    public override int GetMaxHandshakeMessageSize() => _maxHandshakeMessageBytes;

    /// <summary>SMTP frames its own data, so a peer that closes without close_notify truncates nothing.</summary>
    public override bool RequiresCloseNotify() => false;

    /// <summary>Chain signature algorithms are irrelevant: DANE, not the TLS layer, judges the chain.</summary>
    public override bool ShouldCheckSigAlgOfPeerCerts() => false;

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) => AlertReceived = alertDescription;

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        HandshakeComplete = true;
    }

    /// <summary>
    /// TLS 1.3 and 1.2 preferred; 1.1 and 1.0 still offered so that a server limited to them is
    /// reached and reported (tls.old-version, RFC 8996) instead of failing the handshake.
    /// </summary>
    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv10);

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, Offered);

    /// <summary>status_request with an empty OCSPStatusRequest (RFC 6066 §8); BouncyCastle sends it for 1.2 and 1.3.</summary>
    protected override CertificateStatusRequest GetCertificateStatusRequest() =>
        new(CertificateStatusType.ocsp, new OcspStatusRequest(null, null));

    protected override IList<ServerName>? GetSniServerNames() =>
        _sniName is null ? null : [new ServerName(NameType.host_name, Encoding.ASCII.GetBytes(_sniName))];

    /// <summary>Accepts any chain: it is recorded by <see cref="HandshakeCapture"/> and verified against TLSA later.</summary>
    private sealed class AcceptAnyServerCertificate : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
        }

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) => null;
    }
}
