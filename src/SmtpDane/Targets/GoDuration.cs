using System.Globalization;
using System.Text;

namespace SmtpDane.Targets;

/// <summary>
/// Go's <c>time.ParseDuration</c> and <c>Duration.String</c>, so -connect-timeout and
/// -expiration-warning accept exactly what the Go smtpdane accepted.
/// </summary>
public static class GoDuration
{
    internal const ulong Nanosecond = 1;
    internal const ulong Microsecond = 1000 * Nanosecond;
    internal const ulong Millisecond = 1000 * Microsecond;
    internal const ulong Second = 1000 * Millisecond;
    internal const ulong Minute = 60 * Second;
    internal const ulong Hour = 60 * Minute;
    private const ulong Limit = 1UL << 63;
    private const long NanosecondsPerTick = 100;

    /// <summary>
    /// Parses like Go into nanoseconds: <c>[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+</c> with units
    /// ns, us (µs, μs), ms, s, m, h; "0" alone is zero. Error messages are Go's.
    /// </summary>
    public static bool TryParseNanoseconds(string text, out long nanoseconds, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        nanoseconds = 0;
        error = string.Empty;
        var s = text.AsSpan();
        ulong d = 0;
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return Fail(out error, "time: invalid duration " + Quote(text));
        }

        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                return Fail(out error, "time: invalid duration " + Quote(text));
            }

            var before = s.Length;
            if (!LeadingInt(ref s, out var v))
            {
                return Fail(out error, "time: invalid duration " + Quote(text));
            }

            var pre = before != s.Length;
            var post = false;
            ulong f = 0;
            var scale = 1.0;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var fractionStart = s.Length;
                LeadingFraction(ref s, out f, out scale);
                post = fractionStart != s.Length;
            }

            if (!pre && !post)
            {
                return Fail(out error, "time: invalid duration " + Quote(text));
            }

            var i = 0;
            while (i < s.Length && s[i] != '.' && !char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == 0)
            {
                return Fail(out error, "time: missing unit in duration " + Quote(text));
            }

            var unitText = s[..i];
            s = s[i..];
            if (!TryUnit(unitText, out var unit))
            {
                return Fail(out error, "time: unknown unit " + Quote(unitText.ToString()) + " in duration " + Quote(text));
            }

            if (v > Limit / unit)
            {
                return Fail(out error, "time: invalid duration " + Quote(text));
            }

            v *= unit;
            if (f > 0)
            {
                // As Go: float64 keeps fractions of hours nanosecond-accurate.
                v += (ulong)(f * (unit / scale));
                if (v > Limit)
                {
                    return Fail(out error, "time: invalid duration " + Quote(text));
                }
            }

            d += v;
            if (d > Limit)
            {
                return Fail(out error, "time: invalid duration " + Quote(text));
            }
        }

        if (negative)
        {
            nanoseconds = d == Limit ? long.MinValue : -(long)d;
            return true;
        }

        if (d > Limit - 1)
        {
            return Fail(out error, "time: invalid duration " + Quote(text));
        }

        nanoseconds = (long)d;
        return true;
    }

    /// <summary>
    /// Parses like Go into a <see cref="TimeSpan"/> (100 ns ticks, truncated). A non-zero value
    /// shorter than a tick becomes one tick, so "-expiration-warning 1ns" never means "disabled".
    /// </summary>
    public static bool TryParse(string text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        if (!TryParseNanoseconds(text, out var ns, out error))
        {
            return false;
        }

        var ticks = ns / NanosecondsPerTick;
        if (ticks == 0 && ns != 0)
        {
            ticks = ns > 0 ? 1 : -1;
        }

        value = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>Go's <c>Duration.String</c>: "1m30s", "168h0m0s", "1.5s", "100ms", "0s".</summary>
    public static string Format(TimeSpan value) => FormatNanoseconds(
        value.Ticks > long.MaxValue / NanosecondsPerTick ? long.MaxValue
        : value.Ticks < long.MinValue / NanosecondsPerTick ? long.MinValue
        : value.Ticks * NanosecondsPerTick);

    /// <summary>Go's <c>Duration.String</c> for a nanosecond count.</summary>
    public static string FormatNanoseconds(long nanoseconds) => GoDurationFormatter.Format(nanoseconds);

    private static bool TryUnit(ReadOnlySpan<char> unit, out ulong value)
    {
        value = unit switch
        {
            "ns" => Nanosecond,
            "us" or "µs" or "μs" => Microsecond,
            "ms" => Millisecond,
            "s" => Second,
            "m" => Minute,
            "h" => Hour,
            _ => 0,
        };
        return value != 0;
    }

    private static bool LeadingInt(ref ReadOnlySpan<char> s, out ulong x)
    {
        x = 0;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (x > Limit / 10)
            {
                return false;
            }

            x = (x * 10) + (ulong)(s[i] - '0');
            if (x > Limit)
            {
                return false;
            }
        }

        s = s[i..];
        return true;
    }

    private static void LeadingFraction(ref ReadOnlySpan<char> s, out ulong x, out double scale)
    {
        x = 0;
        scale = 1;
        var overflow = false;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (overflow)
            {
                continue;
            }

            if (x > (Limit - 1) / 10)
            {
                overflow = true;
                continue;
            }

            var y = (x * 10) + (ulong)(s[i] - '0');
            if (y > Limit)
            {
                overflow = true;
                continue;
            }

            x = y;
            scale *= 10;
        }

        s = s[i..];
    }

    private static bool Fail(out string error, string message)
    {
        error = message;
        return false;
    }

    /// <summary>Go's time.quote: non-ASCII and control characters as \x bytes of their UTF-8.</summary>
    internal static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in s.EnumerateRunes())
        {
            if (rune.Value >= 0x80 || rune.Value < ' ')
            {
                var n = rune.EncodeToUtf8(bytes);
                for (var j = 0; j < n; j++)
                {
                    sb.Append("\\x").Append(bytes[j].ToString("x2", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                if (rune.Value is '"' or '\\')
                {
                    sb.Append('\\');
                }

                sb.Append((char)rune.Value);
            }
        }

        return sb.Append('"').ToString();
    }
}
