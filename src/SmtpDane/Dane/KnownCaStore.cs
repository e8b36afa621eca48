using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using SmtpDane.Certificates;
using SmtpDane.Model;

namespace SmtpDane.Dane;

/// <summary>
/// The system's CA bundle, used only to label DANE-TA(2) records ("this is Let's Encrypt's R11"),
/// never to trust anything: RFC 7672 §3.1.3 leaves PKIX out of SMTP DANE. Locations as OpenSSL:
/// SSL_CERT_FILE and SSL_CERT_DIR when set, else the first usual bundle that exists. Loaded
/// lazily on first use, at most <see cref="MaxBytes"/> in all; unparsable entries are skipped.
/// </summary>
public sealed class KnownCaStore
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MaxDirectoryFiles = 5000;

    private const string PemBegin = "-----BEGIN CERTIFICATE-----";
    private const string PemEnd = "-----END CERTIFICATE-----";

    private readonly Lazy<IReadOnlyList<Entry>> _entries;
    private readonly Dictionary<(byte Selector, byte MatchingType), Dictionary<string, string>> _indexes = [];
    private readonly Lock _indexLock = new();

    /// <summary>The process environment and <see cref="DefaultFiles"/>.</summary>
    public KnownCaStore()
        : this(Environment.GetEnvironmentVariable, DefaultFiles)
    {
    }

    /// <summary>Injectable environment (variable name → value) and fallback bundle paths, for tests.</summary>
    public KnownCaStore(Func<string, string?> environment, IReadOnlyList<string> defaultFiles)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(defaultFiles);
        _entries = new Lazy<IReadOnlyList<Entry>>(() => Load(environment, defaultFiles), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Debian/Ubuntu, Fedora/RHEL, Alpine/macOS/BSD bundle locations.</summary>
    public static IReadOnlyList<string> DefaultFiles { get; } =
        ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"];

    /// <summary>How many distinct certificates were loaded (forces the load).</summary>
    public int Count => _entries.Value.Count;

    /// <summary>
    /// The subject CN (else O, else the whole subject) of a known CA that a usable DANE-TA(2)
    /// record matches; null for other records or when no known CA matches.
    /// </summary>
    public string? Describe(TlsaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Usage != (byte)TlsaUsage.DaneTa || TlsaUsability.UnusableReason(record) is not null)
        {
            return null;
        }

        var index = IndexFor(record.Selector, record.MatchingType);
        return index.TryGetValue(Convert.ToHexString(record.Data), out var name) ? name : null;
    }

    private Dictionary<string, string> IndexFor(byte selector, byte matchingType)
    {
        var all = _entries.Value;
        lock (_indexLock)
        {
            if (_indexes.TryGetValue((selector, matchingType), out var index))
            {
                return index;
            }

            index = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in all)
            {
                var data = TlsaMatcher.AssociationData(entry.Certificate, entry.Der, selector, matchingType);
                index.TryAdd(Convert.ToHexString(data), entry.Name);
            }

            _indexes[(selector, matchingType)] = index;
            return index;
        }
    }

    private static List<Entry> Load(Func<string, string?> environment, IReadOnlyList<string> defaultFiles)
    {
        var files = new List<string>();
        if (environment("SSL_CERT_FILE") is { Length: > 0 } certFile)
        {
            files.Add(certFile);
        }
        else if (defaultFiles.FirstOrDefault(File.Exists) is { } bundle)
        {
            files.Add(bundle);
        }

        if (environment("SSL_CERT_DIR") is { Length: > 0 } certDirs)
        {
            foreach (var dir in certDirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                try
                {
                    files.AddRange(Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal).Take(MaxDirectoryFiles));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
                {
                    // an unreadable directory just contributes nothing
                }
            }
        }

        var result = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var budget = MaxBytes;
        foreach (var file in files)
        {
            string text;
            try
            {
                var info = new FileInfo(file);
                if (!info.Exists || info.Length > budget)
                {
                    continue;
                }

                budget -= info.Length;
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                continue;
            }

            foreach (var der in PemBlocks(text))
            {
                if (seen.Add(Convert.ToHexString(Digests.Sha256(der))) && TryEntry(der) is { } entry)
                {
                    result.Add(entry);
                }
            }
        }

        return result;
    }

    private static IEnumerable<byte[]> PemBlocks(string text)
    {
        var at = 0;
        while ((at = text.IndexOf(PemBegin, at, StringComparison.Ordinal)) >= 0)
        {
            var start = at + PemBegin.Length;
            var end = text.IndexOf(PemEnd, start, StringComparison.Ordinal);
            if (end < 0)
            {
                yield break;
            }

            at = end + PemEnd.Length;
            var body = string.Concat(text.AsSpan(start, end - start).ToString().Where(c => !char.IsWhiteSpace(c)));
            var buffer = new byte[body.Length];
            if (Convert.TryFromBase64String(body, buffer, out var written))
            {
                yield return buffer[..written];
            }
        }
    }

    private static Entry? TryEntry(byte[] der)
    {
        try
        {
            var cert = new X509Certificate(der);
            var subject = cert.SubjectDN;
            var name = subject.GetValueList(X509Name.CN).LastOrDefault()
                ?? subject.GetValueList(X509Name.O).LastOrDefault()
                ?? subject.ToString();
            _ = cert.CertificateStructure.SubjectPublicKeyInfo; // fail here, not while indexing
            return new Entry(cert, der, PeerText.Cap(name));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private sealed record Entry(X509Certificate Certificate, byte[] Der, string Name);
}
