using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace SmtpDane.Model;

/// <summary>
/// Cryptographically secure random bytes straight from the kernel. On Linux .NET's
/// <see cref="RandomNumberGenerator"/> is OpenSSL's RAND_bytes, and its first use loads and
/// initialises libssl/libcrypto: about 13 million instructions, 30% of a one-domain check
/// (bench/RESULTS.md). /dev/urandom is the same kernel CSPRNG that OpenSSL seeds from
/// (random(4): suitable for keys once the pool is initialised at boot). Other systems keep
/// <see cref="RandomNumberGenerator"/>.
/// </summary>
public static class OsEntropy
{
    private static readonly Lazy<SafeFileHandle?> Urandom = new(Open);

    public static void Fill(Span<byte> buffer)
    {
        if (Urandom.Value is not { } handle)
        {
            RandomNumberGenerator.Fill(buffer);
            return;
        }

        // A character device: the offset is ignored, reads of up to 32 MiB are never short.
        while (!buffer.IsEmpty)
        {
            var n = RandomAccess.Read(handle, buffer, 0);
            if (n <= 0)
            {
                throw new IOException("/dev/urandom returned no data");
            }

            buffer = buffer[n..];
        }
    }

    /// <summary>A uniformly random 16-bit value (DNS message IDs, RFC 5452 §9.2).</summary>
    public static ushort NextUInt16()
    {
        Span<byte> two = stackalloc byte[2];
        Fill(two);
        return (ushort)(two[0] << 8 | two[1]);
    }

    private static SafeFileHandle? Open()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return File.OpenHandle("/dev/urandom", FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
