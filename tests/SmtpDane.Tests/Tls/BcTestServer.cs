using System.Net.Sockets;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using SmtpDane.Tests.Net;
using SmtpDane.Tests.TestPki;

namespace SmtpDane.Tests.Tls;

/// <summary>
/// A loopback TLS server built on BouncyCastle's blocking <see cref="TlsServerProtocol"/> (on its
/// own thread: test code only). It offers one version, an EC P-256 leaf + root chain, staples
/// <see cref="Staple"/> (TLS 1.2 CertificateStatus, TLS 1.3 CertificateEntry status_request), records
/// the client's SNI, and answers each line with "250 " + the line until "QUIT"
/// (then close_notify) or "DROP" (then a bare TCP close).
/// </summary>
internal sealed class BcTestServer : IAsyncDisposable
{
    private readonly LoopbackServer _loopback;

    /// <summary><paramref name="greeting"/>, when given, is sent right after the handshake (TLS on connect).</summary>
    public BcTestServer(ProtocolVersion version, string? greeting = null)
    {
        Greeting = greeting;
        Root = Pki.CreateRoot("BC Test Root");
        Leaf = Pki.CreateLeaf(Root, "mx.example.org", "mx.example.org");
        Version = version;
        _loopback = new LoopbackServer((stream, ct) => Task.Factory.StartNew(
            () => Serve(stream), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default));
    }

    /// <summary>A fixed OCSPResponse (successful, basic, opaque body): "OCSP-ish" but parseable DER.</summary>
    public static byte[] Staple { get; } = new OcspResponse(
        new OcspResponseStatus(OcspResponseStatus.Successful),
        new ResponseBytes(OcspObjectIdentifiers.PkixOcspBasic, new DerOctetString(Encoding.ASCII.GetBytes("not really a BasicOCSPResponse"))))
        .GetEncoded(Asn1Encodable.Der);

    public TestCertificate Root { get; }

    public TestCertificate Leaf { get; }

    public ProtocolVersion Version { get; }

    public string? Greeting { get; }

    public int Port => _loopback.Port;

    /// <summary>The host_name the client sent in SNI, or null when it sent none.</summary>
    public string? ReceivedSni { get; private set; }

    public bool ReceivedStatusRequest { get; private set; }

    public List<string> ReceivedLines { get; } = [];

    public ValueTask DisposeAsync() => _loopback.DisposeAsync();

    public void ThrowIfFailed() => _loopback.ThrowIfFailed();

    private void Serve(NetworkStream stream)
    {
        var protocol = new TlsServerProtocol(stream);
        protocol.Accept(new Peer(this));
        var tls = protocol.Stream;
        if (Greeting is not null)
        {
            var greeting = Encoding.ASCII.GetBytes(Greeting + "\r\n");
            tls.Write(greeting, 0, greeting.Length);
        }

        var line = new StringBuilder();
        int b;
        while ((b = tls.ReadByte()) >= 0)
        {
            if (b != '\n')
            {
                line.Append((char)b);
                continue;
            }

            var text = line.ToString().TrimEnd('\r');
            line.Clear();
            ReceivedLines.Add(text);
            if (text == "DROP")
            {
                stream.Socket.Shutdown(SocketShutdown.Both); // no close_notify
                return;
            }

            var reply = Encoding.ASCII.GetBytes($"250 {text}\r\n");
            tls.Write(reply, 0, reply.Length);
            if (text == "QUIT")
            {
                break;
            }
        }

        protocol.Close();
    }

    private sealed class Peer(BcTestServer owner) : DefaultTlsServer(new BcTlsCrypto())
    {
        private static readonly SignatureAndHashAlgorithm EcdsaSha256 =
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

        public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
        {
            base.ProcessClientExtensions(clientExtensions);
            var names = TlsExtensionsUtilities.GetServerNameExtensionClient(clientExtensions);
            owner.ReceivedSni = names?.Count > 0 ? Encoding.ASCII.GetString(names[0].NameData) : null;
            owner.ReceivedStatusRequest = m_certificateStatusRequest is not null;
        }

        public override TlsCredentials GetCredentials() =>
            new BcDefaultTlsCredentialedSigner(
                new TlsCryptoParameters(m_context),
                (BcTlsCrypto)Crypto,
                owner.Leaf.PrivateKey,
                Chain(),
                TlsUtilities.IsSignatureAlgorithmsExtensionAllowed(m_context.ServerVersion) ? EcdsaSha256 : null);

        /// <summary>TLS 1.2 staple (RFC 6066 §8); TLS 1.3 staples in the Certificate message instead.</summary>
        public override CertificateStatus? GetCertificateStatus() =>
            m_certificateStatusRequest is null || TlsUtilities.IsTlsV13(m_context)
                ? null
                : new CertificateStatus(CertificateStatusType.ocsp, OcspResponse.GetInstance(Asn1Object.FromByteArray(Staple)));

        protected override ProtocolVersion[] GetSupportedVersions() => [owner.Version];

        protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(
            Crypto,
            [CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA]);

        private Certificate Chain()
        {
            var leaf = Crypto.CreateCertificate(owner.Leaf.Der);
            var root = Crypto.CreateCertificate(owner.Root.Der);
            if (!TlsUtilities.IsTlsV13(m_context))
            {
                return new Certificate([leaf, root]);
            }

            // RFC 8446 §4.4.2.1: the leaf's CertificateEntry carries status_request = CertificateStatus.
            Dictionary<int, byte[]>? leafExtensions = null;
            if (m_certificateStatusRequest is not null)
            {
                var status = new MemoryStream();
                status.WriteByte((byte)CertificateStatusType.ocsp);
                TlsUtilities.WriteOpaque24(Staple, status);
                leafExtensions = new() { [ExtensionType.status_request] = status.ToArray() };
            }

            return new Certificate(TlsUtilities.EmptyBytes, [new CertificateEntry(leaf, leafExtensions), new CertificateEntry(root, null)]);
        }
    }
}
