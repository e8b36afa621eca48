using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace SmtpDane.Tests.TestPki;

/// <summary>A generated certificate with its key pair, for issuing children and signing OCSP responses.</summary>
public sealed class TestCertificate(X509Certificate certificate, AsymmetricCipherKeyPair keys)
{
    public X509Certificate Certificate { get; } = certificate;

    public AsymmetricCipherKeyPair Keys { get; } = keys;

    public AsymmetricKeyParameter PrivateKey => Keys.Private;

    public byte[] Der { get; } = certificate.GetEncoded();

    public string SignatureAlgorithm => Pki.SignatureAlgorithmFor(Keys.Private);
}
