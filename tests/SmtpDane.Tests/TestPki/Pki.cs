using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace SmtpDane.Tests.TestPki;

/// <summary>
/// Generates CA, intermediate and leaf certificates with BouncyCastle for tests. Thread-safe;
/// every certificate gets a fresh key (RSA-2048 generation takes a moment: use EC unless RSA matters).
/// </summary>
public static class Pki
{
    /// <summary>The fixed "now" tests use, so validity windows are deterministic.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly SecureRandom Random = new();
    /// <summary>A self-signed CA.</summary>
    public static TestCertificate CreateRoot(string commonName = "Test Root CA", TestKeyType keyType = TestKeyType.EcP256) =>
        Create(new TestCertificateSpec { CommonName = commonName, IsCa = true, KeyType = keyType }, issuer: null);

    /// <summary>A CA issued by <paramref name="issuer"/>.</summary>
    public static TestCertificate CreateIntermediate(TestCertificate issuer, string commonName = "Test Intermediate CA", TestKeyType keyType = TestKeyType.EcP256) =>
        Create(new TestCertificateSpec { CommonName = commonName, IsCa = true, KeyType = keyType }, issuer);

    /// <summary>A leaf (CA=false) issued by <paramref name="issuer"/>, with the given DNS SANs.</summary>
    public static TestCertificate CreateLeaf(TestCertificate issuer, string commonName, params string[] dnsNames) =>
        Create(new TestCertificateSpec { CommonName = commonName, DnsNames = dnsNames }, issuer);

    /// <summary>Any certificate; <paramref name="issuer"/> null means self-signed.</summary>
    public static TestCertificate Create(TestCertificateSpec spec, TestCertificate? issuer)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var keys = spec.KeyType switch
        {
            TestKeyType.EcP256 => NewEc(),
            TestKeyType.Rsa1024 => NewRsa(1024),
            _ => NewRsa(2048),
        };
        var subject = new X509Name($"CN={spec.CommonName}");
        var gen = new X509V3CertificateGenerator();
        gen.SetSerialNumber(spec.Serial is { } s ? BigInteger.ValueOf(s) : new BigInteger(64, Random).Add(BigInteger.One));
        gen.SetSubjectDN(subject);
        gen.SetIssuerDN(issuer?.Certificate.SubjectDN ?? subject);
        gen.SetNotBefore(spec.NotBefore.UtcDateTime);
        gen.SetNotAfter(spec.NotAfter.UtcDateTime);
        gen.SetPublicKey(keys.Public);
        if (!spec.OmitBasicConstraints)
        {
            gen.AddExtension(
                X509Extensions.BasicConstraints,
                true,
                spec.PathLength is { } pathLength ? new BasicConstraints(pathLength) : new BasicConstraints(spec.IsCa));
        }

        gen.AddExtension(
            X509Extensions.KeyUsage,
            true,
            new KeyUsage(spec.IsCa ? KeyUsage.KeyCertSign | KeyUsage.CrlSign | KeyUsage.DigitalSignature : KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment));
        if (spec.DnsNames.Count > 0)
        {
            var names = spec.DnsNames.Select(n => new GeneralName(GeneralName.DnsName, n)).ToArray();
            gen.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(names));
        }

        if (spec.ExtendedKeyUsages.Count > 0)
        {
            gen.AddExtension(
                X509Extensions.ExtendedKeyUsage,
                false,
                new ExtendedKeyUsage(spec.ExtendedKeyUsages.Select(o => KeyPurposeID.GetInstance(o)).ToArray()));
        }

        if (spec.UnknownCriticalExtension is { } oid)
        {
            gen.AddExtension(new DerObjectIdentifier(oid), true, DerNull.Instance);
        }

        if (spec.PermittedDnsSubtrees.Count > 0)
        {
            var permitted = spec.PermittedDnsSubtrees.Select(n => new GeneralSubtree(new GeneralName(GeneralName.DnsName, n))).ToList();
            gen.AddExtension(X509Extensions.NameConstraints, true, new NameConstraints(new GeneralSubtrees(permitted.ToArray()), null));
        }

        var signingKey = issuer?.PrivateKey ?? keys.Private;
        var algorithm = SignatureAlgorithmFor(signingKey);
        if (spec.SignatureDigest is { } digest)
        {
            algorithm = digest + algorithm[algorithm.IndexOf("WITH", StringComparison.Ordinal)..];
        }

        var cert = gen.Generate(new Asn1SignatureFactory(algorithm, signingKey, Random));
        return new TestCertificate(cert, keys);
    }

    /// <summary>The signature algorithm name BouncyCastle wants for a private key.</summary>
    public static string SignatureAlgorithmFor(AsymmetricKeyParameter privateKey) =>
        privateKey is ECPrivateKeyParameters ? "SHA256WITHECDSA" : "SHA256WITHRSA";

    /// <summary>DER of each certificate, in the given order (a chain "as sent", leaf first).</summary>
    public static IReadOnlyList<byte[]> Chain(params TestCertificate[] certificates) =>
        [.. certificates.Select(c => c.Der)];

    private static AsymmetricCipherKeyPair NewEc()
    {
        var gen = new ECKeyPairGenerator();
        gen.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, Random));
        return gen.GenerateKeyPair();
    }

    private static AsymmetricCipherKeyPair NewRsa(int bits)
    {
        var gen = new RsaKeyPairGenerator();
        gen.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), Random, bits, 80));
        return gen.GenerateKeyPair();
    }
}
