using System.Globalization;
using System.Text;
using static SmtpDane.Targets.GoDuration;

namespace SmtpDane.Targets;

/// <summary>Go's <c>Duration.String</c>, the output side of <see cref="GoDuration"/>.</summary>
internal static class GoDurationFormatter
{
    /// <summary>Go's <c>Duration.String</c> for a nanosecond count.</summary>
    public static string Format(long nanoseconds)
    {
        var negative = nanoseconds < 0;
        var u = negative ? (ulong)(-(nanoseconds + 1)) + 1 : (ulong)nanoseconds;
        var sb = new StringBuilder();
        if (u < Second)
        {
            if (u == 0)
            {
                return "0s";
            }

            int precision;
            string unit;
            if (u < Microsecond)
            {
                precision = 0;
                unit = "ns";
            }
            else if (u < Millisecond)
            {
                precision = 3;
                unit = "µs";
            }
            else
            {
                precision = 6;
                unit = "ms";
            }

            sb.Append(FormatFraction(u, precision)).Append(unit);
        }
        else
        {
            var seconds = FormatFraction(u, 9);
            u /= Second;
            var secondsInt = u % 60;
            u /= 60;
            var text = new StringBuilder();
            if (u > 0)
            {
                var minutes = u % 60;
                var hours = u / 60;
                if (hours > 0)
                {
                    text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
                }

                text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
            }

            // FormatFraction printed whole seconds of the total; keep only seconds within the minute.
            var dot = seconds.IndexOf('.', StringComparison.Ordinal);
            var fraction = dot >= 0 ? seconds[dot..] : string.Empty;
            text.Append(secondsInt.ToString(CultureInfo.InvariantCulture)).Append(fraction).Append('s');
            sb.Append(text);
        }

        return negative ? "-" + sb : sb.ToString();
    }

    /// <summary>v / 10^precision with trailing fractional zeros (and a bare dot) removed.</summary>
    private static string FormatFraction(ulong v, int precision)
    {
        var divisor = 1UL;
        for (var i = 0; i < precision; i++)
        {
            divisor *= 10;
        }

        var whole = (v / divisor).ToString(CultureInfo.InvariantCulture);
        var fraction = (v % divisor).ToString(CultureInfo.InvariantCulture).PadLeft(precision, '0').TrimEnd('0');
        return fraction.Length == 0 ? whole : whole + "." + fraction;
    }
}
