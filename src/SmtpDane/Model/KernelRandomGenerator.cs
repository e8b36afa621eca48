using Org.BouncyCastle.Crypto.Prng;
namespace SmtpDane.Model;

/// <summary>
/// A BouncyCastle random source that reads every byte from the kernel (<see cref="OsEntropy"/>):
/// for TLS (client random, key shares, nonces) and ARSoft's message ids. BouncyCastle's default
/// <c>new SecureRandom()</c> seeds itself from .NET's RandomNumberGenerator, i.e. OpenSSL on
/// Linux, whose start-up dominated a one-domain check. Stateless, so one instance serves all.
/// </summary>
public sealed class KernelRandomGenerator : IRandomGenerator
{
    public static readonly KernelRandomGenerator Instance = new();

    private KernelRandomGenerator()
    {
    }

    /// <summary>Seed material is not needed: every byte comes from the kernel CSPRNG.</summary>
    public void AddSeedMaterial(byte[] seed)
    {
    }

    public void AddSeedMaterial(ReadOnlySpan<byte> seed)
    {
    }

    public void AddSeedMaterial(long seed)
    {
    }

    public void NextBytes(byte[] bytes) => OsEntropy.Fill(bytes);

    public void NextBytes(byte[] bytes, int start, int len) => OsEntropy.Fill(bytes.AsSpan(start, len));

    public void NextBytes(Span<byte> bytes) => OsEntropy.Fill(bytes);
}
