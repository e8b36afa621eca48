using System.Globalization;
using System.Text;

namespace SmtpDane.Reporting;

/// <summary>
/// The one place that makes strings from servers and DNS safe to print. Terminal output escapes
/// C0 controls (incl. ESC, CR, LF, NUL), DEL, C1 controls, bidi and other format characters, line
/// and paragraph separators and lone surrogates; everything else passes through. Backslashes are
/// left alone so already-escaped text (e.g. from <see cref="Quote"/>) is not escaped twice.
/// </summary>
public static class HostileText
{
    /// <summary>Default cap for one hostile value (a name, a banner line, a CN).</summary>
    public const int DefaultMaxLength = 200;

    /// <summary>Marks a value cut at its length cap.</summary>
    public const string Ellipsis = "…";

    /// <summary>Safe to write to a terminal: no escape sequences, no line breaks, at most <paramref name="maxLength"/> chars.</summary>
    public static string ForTerminal(string? text, int maxLength = DefaultMaxLength) =>
        Escape(text, maxLength, Mode.Terminal);

    /// <summary>As <see cref="ForTerminal"/>, and no <c>|</c> (Nagios reads it as the perfdata separator).</summary>
    public static string ForNagios(string? text, int maxLength = DefaultMaxLength) =>
        Escape(text, maxLength, Mode.Nagios);

    /// <summary>Like Go's <c>%q</c>: double quotes around, <c>"</c> and <c>\</c> escaped, plus <see cref="ForTerminal"/> escaping.</summary>
    public static string Quote(string? text, int maxLength = DefaultMaxLength) =>
        "\"" + Escape(text, Math.Max(1, maxLength - 2), Mode.Quoted) + "\"";

    /// <summary>
    /// Valid UTF-16 for the JSON writer (which escapes control characters itself): lone surrogates
    /// become U+FFFD. No length cap: JSON consumers get the value whole.
    /// </summary>
    public static string ForJson(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair)
            {
                sb?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                sb ??= new StringBuilder(text, 0, i, text.Length);
                sb.Append('\uFFFD');
                continue;
            }

            sb?.Append(c);
        }

        return sb?.ToString() ?? text;
    }

    private enum Mode
    {
        Terminal,
        Nagios,
        Quoted,
    }

    private static string Escape(string? text, int maxLength, Mode mode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        var lastFit = 0; // output length after the last piece that leaves room for the ellipsis
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var rune = new Rune(c, text[i + 1]);
                i++;
                if (NeedsEscape(rune))
                {
                    AppendCodePoint(sb, rune.Value);
                }
                else
                {
                    sb.Append(c).Append(text[i]);
                }
            }
            else if (char.IsSurrogate(c))
            {
                AppendCodePoint(sb, c);
            }
            else
            {
                AppendChar(sb, c, mode);
            }

            if (sb.Length > maxLength)
            {
                sb.Length = lastFit;
                return sb.Append(Ellipsis[0]).ToString();
            }

            if (sb.Length <= maxLength - 1)
            {
                lastFit = sb.Length;
            }
        }

        return sb.ToString();
    }

    private static void AppendChar(StringBuilder sb, char c, Mode mode)
    {
        switch (c)
        {
            case '\t':
                sb.Append("\\t");
                return;
            case '\n':
                sb.Append("\\n");
                return;
            case '\r':
                sb.Append("\\r");
                return;
            case '|' when mode == Mode.Nagios:
                sb.Append("\\x7c");
                return;
            case '"' or '\\' when mode == Mode.Quoted:
                sb.Append('\\').Append(c);
                return;
            case < ' ' or '\x7f':
                sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                return;
        }

        if (NeedsEscape(new Rune(c)))
        {
            AppendCodePoint(sb, c);
        }
        else
        {
            sb.Append(c);
        }
    }

    private static bool NeedsEscape(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control // C1 (C0 and DEL handled before)
            or UnicodeCategory.Format // bidi overrides and isolates, zero-width, tag characters
            or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Surrogate;

    private static void AppendCodePoint(StringBuilder sb, int codePoint) =>
        sb.Append("\\u{").Append(codePoint.ToString("x", CultureInfo.InvariantCulture)).Append('}');
}
