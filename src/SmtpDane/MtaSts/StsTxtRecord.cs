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
    public static TxtSelection Select(IReadOnlyList<string> records) =>
        VersionedTxtRecord.Select(records, "STSv1", "id", "id", value =>
            value.Length is 0 or > 32 || !value.All(char.IsAsciiLetterOrDigit)
                ? (null, $"id \"{value}\" is not 1 to 32 letters and digits")
                : (value, null));
}
