using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SmtpDane.Model;

namespace SmtpDane.Certificates;

/// <summary>
/// The Web PKI anchors for MTA-STS (RFC 8461 §4.1): the system bundle (SSL_CERT_FILE, else the
/// first of <see cref="DefaultFiles"/>, as OpenSSL) plus the -ca-file anchors. Files are read
/// whole up to <see cref="MaxBytes"/>, counted on the bytes read (a device or pipe has no length);
/// a larger file is refused, not truncated.
/// </summary>
public sealed class WebPkiTrust
{
    public const long MaxBytes = 10 * 1024 * 1024;

    /// <summary>Debian/Ubuntu, Fedora/RHEL, Alpine/macOS/BSD bundle locations.</summary>
    public static IReadOnlyList<string> DefaultFiles { get; } =
        ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"];

    private WebPkiTrust(X509Certificate2Collection anchors) => Anchors = anchors;

    public X509Certificate2Collection Anchors { get; }

    /// <param name="caFiles">Extra anchor files (PEM); an unreadable or empty one throws <see cref="CertificateParseException"/>.</param>
    /// <param name="useSystem">Include the system bundle (missing is not an error: then only caFiles count).</param>
    public static WebPkiTrust Load(IReadOnlyList<string> caFiles, bool useSystem, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(caFiles);
        environment ??= Environment.GetEnvironmentVariable;
        var anchors = new X509Certificate2Collection();
        if (useSystem)
        {
            var system = environment("SSL_CERT_FILE") is { Length: > 0 } f ? f : DefaultFiles.FirstOrDefault(File.Exists);
            if (system is not null && File.Exists(system))
            {
                TryImport(anchors, system, required: false);
            }
        }

        foreach (var file in caFiles)
        {
            TryImport(anchors, file, required: true);
        }

        return new WebPkiTrust(anchors);
    }

    /// <summary>Anchors given directly (tests).</summary>
    public static WebPkiTrust Of(IEnumerable<X509Certificate2> anchors) => new([.. anchors]);

    private static void TryImport(X509Certificate2Collection into, string file, bool required)
    {
        string text;
        try
        {
            text = System.Text.Encoding.UTF8.GetString(BoundedFile.ReadAllBytes(file, MaxBytes));
        }
        catch (FileTooLargeException)
        {
            throw new CertificateParseException($"CA file \"{file}\" is larger than {MaxBytes} bytes");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!required)
            {
                return;
            }

            throw new CertificateParseException($"cannot read CA file \"{file}\": {e.Message}");
        }

        var before = into.Count;
        try
        {
            into.ImportFromPem(text);
        }
        catch (CryptographicException e)
        {
            if (required)
            {
                throw new CertificateParseException($"CA file \"{file}\" holds a certificate that does not parse: {e.Message}");
            }
        }

        if (required && into.Count == before)
        {
            throw new CertificateParseException($"CA file \"{file}\" holds no PEM certificate");
        }
    }
}
