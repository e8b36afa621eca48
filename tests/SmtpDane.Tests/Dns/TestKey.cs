using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using SmtpDane.Dns;

namespace SmtpDane.Tests.Dns;

/// <summary>
/// A DNSSEC signing key for a test zone, signing with .NET or BouncyCastle (independent of the
/// validator under test). Algorithms by RFC number: 8, 10 (RSA), 13, 14 (ECDSA), 15, 16 (EdDSA).
/// </summary>
public sealed class TestKey
{
    private readonly Func<byte[], byte[]> _sign;

    private TestKey(string zone, byte algorithm, byte[] dnsKeyRdata, Func<byte[], byte[]> sign)
    {
        Zone = zone;
        Algorithm = algorithm;
        DnsKeyRdata = dnsKeyRdata;
        _sign = sign;
        KeyTag = ComputeKeyTag(dnsKeyRdata);
    }

    public string Zone { get; }

    public byte Algorithm { get; }

    /// <summary>RFC 4034 §2.1: flags 257 (zone key, SEP), protocol 3, algorithm, public key.</summary>
    public byte[] DnsKeyRdata { get; }

    public ushort KeyTag { get; }

    public static TestKey Create(byte algorithm, string zone)
    {
        byte[] publicKey;
        Func<byte[], byte[]> sign;
        switch (algorithm)
        {
            case 8 or 10:
                var rsa = RSA.Create(2048);
                var rp = rsa.ExportParameters(false);
                publicKey = [(byte)rp.Exponent!.Length, .. rp.Exponent, .. rp.Modulus!]; // RFC 3110 §2
                var hash = algorithm == 8 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512;
                sign = data => rsa.SignData(data, hash, RSASignaturePadding.Pkcs1);
                break;
            case 13 or 14:
                var p256 = algorithm == 13;
                var ec = ECDsa.Create(p256 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384);
                var ep = ec.ExportParameters(false);
                publicKey = [.. ep.Q.X!, .. ep.Q.Y!]; // RFC 6605 §4
                sign = data => ec.SignData(data, p256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384);
                break;
            case 15:
                var ed25519 = new Ed25519PrivateKeyParameters(new SecureRandom());
                publicKey = ed25519.GeneratePublicKey().GetEncoded();
                sign = data =>
                {
                    var signer = new Ed25519Signer();
                    signer.Init(true, ed25519);
                    signer.BlockUpdate(data, 0, data.Length);
                    return signer.GenerateSignature();
                };
                break;
            case 16:
                var ed448 = new Ed448PrivateKeyParameters(new SecureRandom());
                publicKey = ed448.GeneratePublicKey().GetEncoded();
                sign = data =>
                {
                    var signer = new Ed448Signer([]);
                    signer.Init(true, ed448);
                    signer.BlockUpdate(data, 0, data.Length);
                    return signer.GenerateSignature();
                };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm));
        }

        return new TestKey(zone, algorithm, [.. U16(257), 3, algorithm, .. publicKey], sign);
    }

    /// <summary>The DS RDATA for this key (SHA-256, RFC 4509).</summary>
    public byte[] DsRdata() =>
        [.. U16(KeyTag), Algorithm, 2, .. SHA256.HashData([.. FakeDnsServer.EncodeName(Zone), .. DnsKeyRdata])];

    /// <summary>The root trust anchor for this key.</summary>
    public TrustAnchor Anchor() => new(KeyTag, Algorithm, 2, DsRdata()[4..]);

    /// <summary>The RRset and its RRSIG (RFC 4034 §3.1.8.1; names are lower case already, RRs in canonical order).</summary>
    /// <param name="labels">The RRSIG labels field when it should differ from the owner's (wildcards, forgeries).</param>
    /// <param name="algorithm">The RRSIG algorithm field when it should lie about the key's.</param>
    public FakeRr[] Sign(string owner, ushort type, IReadOnlyList<byte[]> rdatas, DateTime inception, DateTime expiration, byte? labels = null, byte? algorithm = null, string? signedOwner = null)
    {
        var signed = signedOwner ?? owner;
        var ownerLabels = (byte)(signed == "." ? 0 : signed.Split('.').Count(l => l != "*"));
        byte[] header = [
            .. U16(type), algorithm ?? Algorithm, labels ?? ownerLabels, .. U32(3600), .. U32(Epoch(expiration)), .. U32(Epoch(inception)),
            .. U16(KeyTag), .. FakeDnsServer.EncodeName(Zone)];
        var data = new List<byte>(header);
        foreach (var rdata in rdatas.OrderBy(r => r, ByteComparer.Instance))
        {
            data.AddRange([.. FakeDnsServer.EncodeName(signed), .. U16(type), .. U16(1), .. U32(3600), .. U16((ushort)rdata.Length), .. rdata]);
        }

        return [.. rdatas.Select(r => new FakeRr(owner, type, r)), new FakeRr(owner, 46, [.. header, .. _sign([.. data])])];
    }

    public static byte[] U16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        return b;
    }

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }

    private static uint Epoch(DateTime t) => (uint)new DateTimeOffset(t.ToUniversalTime()).ToUnixTimeSeconds();

    /// <summary>RFC 4034 appendix B.</summary>
    private static ushort ComputeKeyTag(byte[] rdata)
    {
        uint ac = 0;
        for (var i = 0; i < rdata.Length; i++)
        {
            ac += (i & 1) == 1 ? rdata[i] : (uint)rdata[i] << 8;
        }

        ac += (ac >> 16) & 0xFFFF;
        return (ushort)(ac & 0xFFFF);
    }

    private sealed class ByteComparer : IComparer<byte[]>
    {
        public static readonly ByteComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
