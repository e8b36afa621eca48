using SmtpDane.Findings;

namespace SmtpDane.Reporting;

/// <summary>SGR colours for text output: green success, yellow warning, red error.</summary>
internal static class Ansi
{
    public const string Green = "\u001b[32m";
    public const string Yellow = "\u001b[33m";
    public const string Red = "\u001b[31m";
    public const string Reset = "\u001b[0m";

    /// <summary>Wraps already-escaped text in the severity's colour when <paramref name="color"/> is set.</summary>
    public static string Paint(string text, Severity severity, bool color)
    {
        var code = severity switch
        {
            Severity.Success => Green,
            Severity.Warning => Yellow,
            Severity.Error => Red,
            _ => null,
        };
        return color && code is not null ? code + text + Reset : text;
    }
}
