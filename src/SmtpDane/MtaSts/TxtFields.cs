using SmtpDane.Model;

namespace SmtpDane.MtaSts;

/// <summary>
/// The "v=X; k=v; ..." syntax shared by the MTA-STS (RFC 8461 §3.1) and TLS-RPT (RFC 8460 §3)
/// TXT records: fields separated by *WSP ";" *WSP, each "name=value", the version first; a
/// trailing ";" allowed. Returns the fields in order, or null when the syntax is broken.
/// </summary>
internal static class TxtFields
{
    public static List<KeyValuePair<string, string>>? Split(string record)
    {
        var fields = new List<KeyValuePair<string, string>>();
        var parts = record.Split(';');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim(' ', '\t');
            if (part.Length == 0)
            {
                if (i == parts.Length - 1 && i > 0)
                {
                    break; // optional trailing delimiter
                }

                return null;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return null;
            }

            fields.Add(new(part[..eq], part[(eq + 1)..]));
        }

        return fields;
    }

    /// <summary>RFC 8461/8460 ext-name: (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".").</summary>
    public static bool IsExtName(string name) =>
        name.Length is >= 1 and <= 32 && char.IsAsciiLetterOrDigit(name[0]) &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>ext-value: 1*(%x21-3A / %x3C / %x3E-7E), printable ASCII but ";" and "=".</summary>
    public static bool IsExtValue(string value) =>
        value.Length > 0 && value.All(c => c is >= '!' and <= '~' && c is not ';' and not '=');
}
