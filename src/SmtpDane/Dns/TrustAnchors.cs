using System.Globalization;
using SmtpDane.Model;

namespace SmtpDane.Dns;

/// <summary>
/// Root trust anchors for <c>-dnssec local</c>: built in (KSK-2017 and KSK-2024, from IANA's
/// root-anchors.xml), or read from a file that replaces them. A file holds either zone-file
/// lines for "." (<c>. IN DS …</c> as in unbound's root.ds, or <c>. IN DNSKEY 257 3 …</c> as in
/// root.key or <c>dig DNSKEY .</c> output) or IANA's root-anchors.xml (RFC 9718), whose
/// validFrom/validUntil are honoured.
/// </summary>
public static class TrustAnchors
{
    /// <summary>Files larger than this are refused (the real ones are a few kilobytes).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>At most this many anchors are kept.</summary>
    public const int MaxAnchors = 64;

    /// <summary>KSK-2017 (20326) and KSK-2024 (38696), both RSA/SHA-256, SHA-256 digests (IANA root-anchors.xml).</summary>
    public static IReadOnlyList<TrustAnchor> BuiltIn { get; } =
    [
        new(20326, 8, 2, Convert.FromHexString("E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D")),
        new(38696, 8, 2, Convert.FromHexString("683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16")),
    ];

    /// <summary>Reads a trust-anchor file; <paramref name="now"/> decides which XML anchors are valid.</summary>
    /// <remarks>Read through <see cref="BoundedFile"/>: the cap holds for devices and pipes, and <paramref name="ct"/> interrupts a blocked open or read (a FIFO).</remarks>
    /// <exception cref="TrustAnchorException">Unreadable, too big, malformed, or no usable anchor.</exception>
    public static async Task<IReadOnlyList<TrustAnchor>> LoadAsync(string path, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            var bytes = await BoundedFile.ReadAllBytesAsync(path, MaxFileBytes, ct).ConfigureAwait(false);
            text = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (FileTooLargeException)
        {
            throw new TrustAnchorException($"trust anchor file {path} is larger than {MaxFileBytes} bytes");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new TrustAnchorException($"cannot read trust anchor file {path}: {e.Message}", e);
        }

        return Parse(text, path, now);
    }

    /// <summary>Parses file contents; <paramref name="source"/> names the file in errors.</summary>
    public static IReadOnlyList<TrustAnchor> Parse(string text, string source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        var anchors = text.TrimStart().StartsWith('<') ? TrustAnchorXml.Parse(text, source, now) : TrustAnchorZoneFile.Parse(text, source);
        if (anchors.Count == 0)
        {
            throw new TrustAnchorException($"trust anchor file {source} holds no usable anchor for \".\"; give DS or DNSKEY lines for \".\" or IANA's root-anchors.xml");
        }

        if (anchors.Count > MaxAnchors)
        {
            throw new TrustAnchorException($"trust anchor file {source} holds more than {MaxAnchors} anchors");
        }

        return anchors;
    }

    /// <summary>A DS anchor, its digest checked against its digest type; shared by both file forms.</summary>
    internal static TrustAnchor Ds(ushort keyTag, byte algorithm, byte digestType, string hex, string source, int line)
    {
        byte[] digest;
        try
        {
            digest = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw Bad(source, line, "DS digest is not hexadecimal");
        }

        var expected = digestType switch { 1 => 20, 2 => 32, 4 => 48, _ => -1 };
        if (expected < 0)
        {
            throw Bad(source, line, $"DS digest type {digestType} is not 1 (SHA-1), 2 (SHA-256) or 4 (SHA-384)");
        }

        if (digest.Length != expected)
        {
            throw Bad(source, line, $"DS digest has {digest.Length} bytes; digest type {digestType} needs {expected}");
        }

        return new TrustAnchor(keyTag, algorithm, digestType, digest);
    }

    internal static int Number(string s, int max, string what, string source, int line) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max
            ? n
            : throw Bad(source, line, $"{what} {Shown(s)} is not a number from 0 to {max}");

    internal static string Shown(string s) => "\"" + (s.Length > 40 ? s[..40] + "..." : s) + "\"";

    internal static TrustAnchorException Bad(string source, int line, string why) => new($"{source}:{line}: {why}");
}
