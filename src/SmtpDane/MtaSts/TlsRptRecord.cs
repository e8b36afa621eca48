using SmtpDane.Model;

namespace SmtpDane.MtaSts;

/// <summary>
/// The "_smtp._tls" TXT record (RFC 8460 §3): "v=TLSRPTv1; rua=URI[,URI...]" where each URI
/// is "mailto:" or "https:". Records not starting with "v=TLSRPTv1" are ignored; more than one
/// remaining means none is used (§3).
/// </summary>
public static class TlsRptRecord
{
    public const string Version = "v=TLSRPTv1";

    public static TxtSelection Select(IReadOnlyList<string> records) =>
        VersionedTxtRecord.Select(records, "TLSRPTv1", "rua", "rua field", value =>
        {
            var uris = value.Split(',').Select(u => u.Trim(' ', '\t')).ToList();
            var bad = uris.FirstOrDefault(u => !IsReportUri(u));
            return bad is not null
                ? (null, $"rua URI \"{bad}\" is not a mailto: or https: URI")
                : (string.Join(",", uris), null);
        });

    /// <summary>RFC 8460 §3: "mailto:" with an address, or an absolute "https:" URI with a host.</summary>
    internal static bool IsReportUri(string uri)
    {
        if (uri.Length == 0 || uri.Any(c => c is <= ' ' or > '~'))
        {
            return false;
        }

        if (uri.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            var address = uri["mailto:".Length..];
            var at = address.IndexOf('@', StringComparison.Ordinal);
            return at > 0 && at < address.Length - 1;
        }

        return uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase) &&
            Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Host.Length > 0;
    }
}
