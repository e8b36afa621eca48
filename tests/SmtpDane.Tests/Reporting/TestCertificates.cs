using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace SmtpDane.Tests.Reporting;

/// <summary>A generated certificate with its key, to issue others.</summary>
internal sealed record TestCertificate(byte[] Der, X509Name Subject, AsymmetricCipherKeyPair Key);

/// <summary>
/// Deterministic ECDSA P-256 certificates: key generation and signing draw from a seeded DRBG, so
/// the DER (and the golden files holding its digests) is the same on every run.
/// </summary>
internal static class TestCertificates
{
    public static TestCertificate Issue(
        string commonName,
        IReadOnlyList<string> dnsNames,
        DateTime notBefore,
        DateTime notAfter,
        long serial,
        int seed,
        TestCertificate? issuer = null,
        bool isCa = false)
    {
        var random = Seeded(seed);
        var keyGen = new ECKeyPairGenerator();
        keyGen.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        var key = keyGen.GenerateKeyPair();
        var subject = new X509Name([X509Name.CN], [commonName]);

        var gen = new X509V3CertificateGenerator();
        gen.SetSerialNumber(BigInteger.ValueOf(serial));
        gen.SetSubjectDN(subject);
        gen.SetIssuerDN(issuer?.Subject ?? subject);
        gen.SetNotBefore(notBefore);
        gen.SetNotAfter(notAfter);
        gen.SetPublicKey(key.Public);
        gen.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(isCa));
        if (dnsNames.Count > 0)
        {
            var names = dnsNames.Select(n => new GeneralName(GeneralName.DnsName, n)).ToArray();
            gen.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(names));
        }

        var signer = new Asn1SignatureFactory("SHA256WITHECDSA", (issuer?.Key ?? key).Private, random);
        var cert = gen.Generate(signer);
        return new TestCertificate(cert.GetEncoded(), subject, key);
    }

    private static SecureRandom Seeded(int seed)
    {
        var random = new SecureRandom(new DigestRandomGenerator(new Sha256Digest()));
        random.SetSeed(BitConverter.GetBytes(seed));
        return random;
    }
}
