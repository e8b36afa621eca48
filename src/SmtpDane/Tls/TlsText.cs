using System.Globalization;
using System.Text;
using Org.BouncyCastle.Tls;

namespace SmtpDane.Tls;

/// <summary>Names for what the handshake negotiated, in the spelling OpenSSL and Go print.</summary>
internal static class TlsText
{
    /// <summary>"TLSv1.2", "TLSv1.3"; unknown versions as "0x0305".</summary>
    public static string Version(ProtocolVersion version) => version.FullVersion switch
    {
        0x0301 => "TLSv1.0",
        0x0302 => "TLSv1.1",
        0x0303 => "TLSv1.2",
        0x0304 => "TLSv1.3",
        var v => Hex16(v),
    };

    /// <summary>
    /// IANA name of a cipher suite (the TLS Cipher Suites registry); "0xC0AD" for one not listed.
    /// A switch on BouncyCastle's constants: no reflection, NativeAOT-clean.
    /// </summary>
    public static string CipherSuiteName(int suite) => suite switch
    {
        CipherSuite.TLS_AES_128_GCM_SHA256 => "TLS_AES_128_GCM_SHA256",
        CipherSuite.TLS_AES_256_GCM_SHA384 => "TLS_AES_256_GCM_SHA384",
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256 => "TLS_CHACHA20_POLY1305_SHA256",
        CipherSuite.TLS_AES_128_CCM_SHA256 => "TLS_AES_128_CCM_SHA256",
        CipherSuite.TLS_AES_128_CCM_8_SHA256 => "TLS_AES_128_CCM_8_SHA256",
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 => "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 => "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 => "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 => "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 => "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA => "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA => "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 => "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 => "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 => "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 => "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 => "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA => "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA => "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 => "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 => "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        CipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 => "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256 => "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256 => "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA => "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA => "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256 => "TLS_RSA_WITH_AES_128_GCM_SHA256",
        CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384 => "TLS_RSA_WITH_AES_256_GCM_SHA384",
        CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256 => "TLS_RSA_WITH_AES_128_CBC_SHA256",
        CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256 => "TLS_RSA_WITH_AES_256_CBC_SHA256",
        CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA => "TLS_RSA_WITH_AES_128_CBC_SHA",
        CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA => "TLS_RSA_WITH_AES_256_CBC_SHA",
        _ => Hex16(suite),
    };

    /// <summary>"handshake_failure(40)".</summary>
    public static string Alert(short description) => AlertDescription.GetText(description);

    /// <summary>"32 32 30 20" for up to <paramref name="max"/> leading bytes.</summary>
    public static string HexHead(ReadOnlySpan<byte> bytes, int max)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < bytes.Length && i < max; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static string Hex16(int v) => "0x" + v.ToString("X4", CultureInfo.InvariantCulture);
}
