using SmtpDane.Model;

namespace SmtpDane.MtaSts;

/// <summary>
/// The shape the "_mta-sts" (RFC 8461 §3.1) and "_smtp._tls" (RFC 8460 §3) TXT records share:
/// among the records that start with "v=VERSION" exactly one, its first field the version, one
/// required key checked by the caller, and every other field a well-formed extension.
/// </summary>
internal static class VersionedTxtRecord
{
    /// <summary>
    /// Picks and parses the record from a TXT RRset (each entry one record, its strings joined).
    /// <paramref name="check"/> returns the value to keep, or null and the reason it is invalid.
    /// </summary>
    public static TxtSelection Select(
        IReadOnlyList<string> records, string version, string key, string duplicateKey, Func<string, (string? Value, string? Error)> check)
    {
        ArgumentNullException.ThrowIfNull(records);
        var prefix = "v=" + version;
        var candidates = records.Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0)
        {
            return new TxtSelection(TxtOutcome.None, null, null, null);
        }

        if (candidates.Count > 1)
        {
            return new TxtSelection(TxtOutcome.Invalid, null, null, $"{candidates.Count} TXT records start with \"{prefix}\"; exactly one is allowed");
        }

        var record = candidates[0];
        var fields = TxtFields.Split(record);
        if (fields is null || fields[0].Key != "v" || fields[0].Value != version)
        {
            return new TxtSelection(TxtOutcome.Invalid, record, null, $"the record is not \"{prefix}; {key}=...\" (fields separated by \";\")");
        }

        string? kept = null;
        foreach (var (name, value) in fields.Skip(1))
        {
            if (name == key)
            {
                if (kept is not null)
                {
                    return new TxtSelection(TxtOutcome.Invalid, record, null, $"the record has more than one {duplicateKey}");
                }

                var (checkedValue, error) = check(value);
                if (checkedValue is null)
                {
                    return new TxtSelection(TxtOutcome.Invalid, record, null, error);
                }

                kept = checkedValue;
            }
            else if (!TxtFields.IsExtName(name) || !TxtFields.IsExtValue(value))
            {
                return new TxtSelection(TxtOutcome.Invalid, record, null, $"field \"{name}\" is malformed");
            }
        }

        return kept is null
            ? new TxtSelection(TxtOutcome.Invalid, record, null, $"the record has no {key} field")
            : new TxtSelection(TxtOutcome.Valid, record, kept, null);
    }
}
