using System.Runtime.CompilerServices;
using ARSoft.Tools.Net.Dns;
using Org.BouncyCastle.Security;
using SmtpDane.Model;

namespace SmtpDane.Dns;

/// <summary>
/// ARSoft gives every <see cref="DnsMessage"/> it creates, parsed answers included, a random
/// transaction id drawn from a static SecureRandom over .NET's RandomNumberGenerator: on Linux
/// the first parse loads and initialises OpenSSL (about 13 million instructions, a third of a
/// one-domain check; bench/RESULTS.md). The id of a parsed answer is overwritten by the wire
/// value and we write our own queries (<see cref="DnsQueryWriter"/>), so that draw protects
/// nothing here. <see cref="Install"/> swaps the generator for the kernel's
/// (<see cref="OsEntropy"/>) through an AOT-safe <see cref="UnsafeAccessorAttribute"/>; if a
/// later ARSoft renames the field, the swap is skipped and only the start-up cost returns.
/// </summary>
internal static class ArsoftEntropy
{
    private static readonly bool Installed = TryInstall();

    /// <summary>Idempotent; call before the first <see cref="DnsMessage"/> is created.</summary>
    public static bool Install() => Installed;

    private static bool TryInstall()
    {
        try
        {
            MessageRandom(null) = new SecureRandom(KernelRandomGenerator.Instance);
            return true;
        }
        catch (Exception e) when (e is MissingFieldException or InvalidCastException)
        {
            return false;
        }
    }

    // ARSoft.Tools.Net 3.6 DnsMessageBase: private static readonly SecureRandom _secureRandom.
    [UnsafeAccessor(UnsafeAccessorKind.StaticField, Name = "_secureRandom")]
    private static extern ref SecureRandom MessageRandom(DnsMessageBase? owner);
}
