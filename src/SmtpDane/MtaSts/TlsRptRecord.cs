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

    public static TxtSelection Select(IReadOnlyList<string> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var candidates = records.Where(r => r.StartsWith(Version, StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0)
        {
            return new TxtSelection(TxtOutcome.None, null, null, null);
        }

        if (candidates.Count > 1)
        {
            return new TxtSelection(TxtOutcome.Invalid, null, null, $"{candidates.Count} TXT records start with \"{Version}\"; exactly one is allowed");
        }

        var record = candidates[0];
        var fields = TxtFields.Split(record);
        if (fields is null || fields[0].Key != "v" || fields[0].Value != "TLSRPTv1")
        {
            return new TxtSelection(TxtOutcome.Invalid, record, null, "the record is not \"v=TLSRPTv1; rua=...\" (fields separated by \";\")");
        }

        string? rua = null;
        foreach (var (name, value) in fields.Skip(1))
        {
            if (name == "rua")
            {
                if (rua is not null)
                {
                    return new TxtSelection(TxtOutcome.Invalid, record, null, "the record has more than one rua field");
                }

                var uris = value.Split(',').Select(u => u.Trim(' ', '\t')).ToList();
                var bad = uris.FirstOrDefault(u => !IsReportUri(u));
                if (bad is not null)
                {
                    return new TxtSelection(TxtOutcome.Invalid, record, null, $"rua URI \"{bad}\" is not a mailto: or https: URI");
                }

                rua = string.Join(",", uris);
            }
            else if (!TxtFields.IsExtName(name) || !TxtFields.IsExtValue(value))
            {
                return new TxtSelection(TxtOutcome.Invalid, record, null, $"field \"{name}\" is malformed");
            }
        }

        return rua is null
            ? new TxtSelection(TxtOutcome.Invalid, record, null, "the record has no rua field")
            : new TxtSelection(TxtOutcome.Valid, record, rua, null);
    }

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
