using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace SmtpDane.Model;

/// <summary>
/// One-shot SHA digests by BouncyCastle's managed code. .NET's SHA256.HashData is OpenSSL on
/// Linux, and loading it costs far more than hashing the few small inputs we have (certificates,
/// SPKIs, NSEC3 owner names); see <see cref="OsEntropy"/>.
/// </summary>
public static class Digests
{
    public static byte[] Sha1(ReadOnlySpan<byte> data) => Hash(new Sha1Digest(), data);

    public static byte[] Sha256(ReadOnlySpan<byte> data) => Hash(new Sha256Digest(), data);

    public static byte[] Sha512(ReadOnlySpan<byte> data) => Hash(new Sha512Digest(), data);

    private static byte[] Hash(IDigest digest, ReadOnlySpan<byte> data)
    {
        digest.BlockUpdate(data);
        var result = new byte[digest.GetDigestSize()];
        digest.DoFinal(result);
        return result;
    }
}
