using SmtpDane.Model;

namespace SmtpDane.MtaSts;

/// <summary>
/// The "_mta-sts" TXT record (RFC 8461 §3.1): "v=STSv1; id=..." where id is 1-32 letters and
/// digits. Records not starting with "v=STSv1" are not MTA-STS records and are ignored; more
/// than one remaining, or one that does not parse, means senders see no policy at all.
/// </summary>
public static class StsTxtRecord
{
    public const string Version = "v=STSv1";

    /// <summary>Picks and parses the record from a TXT RRset (each entry one record, its strings joined).</summary>
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
        if (fields is null || fields[0].Key != "v" || fields[0].Value != "STSv1")
        {
            return new TxtSelection(TxtOutcome.Invalid, record, null, "the record is not \"v=STSv1; id=...\" (fields separated by \";\")");
        }

        string? id = null;
        foreach (var (name, value) in fields.Skip(1))
        {
            if (name == "id")
            {
                if (id is not null)
                {
                    return new TxtSelection(TxtOutcome.Invalid, record, null, "the record has more than one id");
                }

                if (value.Length is 0 or > 32 || !value.All(char.IsAsciiLetterOrDigit))
                {
                    return new TxtSelection(TxtOutcome.Invalid, record, null, $"id \"{value}\" is not 1 to 32 letters and digits");
                }

                id = value;
            }
            else if (!TxtFields.IsExtName(name) || !TxtFields.IsExtValue(value))
            {
                return new TxtSelection(TxtOutcome.Invalid, record, null, $"field \"{name}\" is malformed");
            }
        }

        return id is null
            ? new TxtSelection(TxtOutcome.Invalid, record, null, "the record has no id field")
            : new TxtSelection(TxtOutcome.Valid, record, id, null);
    }
}
