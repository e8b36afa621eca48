namespace SmtpDane.Targets;

/// <summary>
/// The service part of an SRV owner name ("_submission._tcp", RFC 2782), given without its
/// underscore: letters, digits and inner hyphens (RFC 6335 §5.1; its 15-character limit is
/// not enforced: one DNS label, 63, as all three places accepted before).
/// One rule for -srv, "srv SERVICE" lines of -f and the exporter's service= parameter.
/// </summary>
public static class SrvServiceName
{
    public static bool IsValid(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length is > 0 and <= 63 && !name.StartsWith('-') && !name.EndsWith('-')
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
    }
}
