using SmtpDane.Targets;


namespace SmtpDane.Tests.Cli;

public class GoDurationTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("1ns", 1L)]
    [InlineData("1us", 1_000L)]
    [InlineData("1µs", 1_000L)]
    [InlineData("1μs", 1_000L)]
    [InlineData("1ms", 1_000_000L)]
    [InlineData("10s", 10_000_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData("1h30m", 5_400_000_000_000L)]
    [InlineData("2160h", 7_776_000_000_000_000L)]
    [InlineData("2232h", 8_035_200_000_000_000L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("1.s", 1_000_000_000L)]
    [InlineData("-1s", -1_000_000_000L)]
    [InlineData("1h1m1s1ms1us1ns", 3_661_001_001_001L)]
    [InlineData("0.3333333333333333333h", 1_200_000_000_000L)]
    [InlineData("9223372036854775807ns", long.MaxValue)]
    [InlineData("-9223372036854775808ns", long.MinValue)]
    [InlineData("2562047h47m16.854775807s", long.MaxValue)]
    public void TryParseNanoseconds_GoValid_Parses(string text, long expected)
    {
        Assert.True(GoDuration.TryParseNanoseconds(text, out var ns, out var error), error);
        Assert.Equal(expected, ns);
    }

    [Theory]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData("3", "time: missing unit in duration \"3\"")]
    [InlineData("-", "time: invalid duration \"-\"")]
    [InlineData("s", "time: invalid duration \"s\"")]
    [InlineData(".", "time: invalid duration \".\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    [InlineData("10x", "time: unknown unit \"x\" in duration \"10x\"")]
    [InlineData("1e3s", "time: unknown unit \"e\" in duration \"1e3s\"")]
    [InlineData("1d", "time: unknown unit \"d\" in duration \"1d\"")]
    [InlineData(" 1s", "time: invalid duration \" 1s\"")]
    [InlineData("1 s", "time: unknown unit \" s\" in duration \"1 s\"")]
    [InlineData("9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\"")]
    [InlineData("2562048h", "time: invalid duration \"2562048h\"")]
    [InlineData("99999999999999999999s", "time: invalid duration \"99999999999999999999s\"")]
    [InlineData("1\u00e9s", "time: unknown unit \"\\xc3\\xa9s\" in duration \"1\\xc3\\xa9s\"")]
    public void TryParseNanoseconds_Invalid_GoError(string text, string expected)
    {
        Assert.False(GoDuration.TryParseNanoseconds(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_OneNanosecond_RoundsUpToOneTickNotZero()
    {
        Assert.True(GoDuration.TryParse("1ns", out var value, out _));
        Assert.Equal(TimeSpan.FromTicks(1), value);
    }

    [Fact]
    public void TryParse_Hours_ExactTimeSpan()
    {
        Assert.True(GoDuration.TryParse("168h", out var value, out _));
        Assert.Equal(TimeSpan.FromHours(168), value);
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "1ns")]
    [InlineData(1_100L, "1.1µs")]
    [InlineData(2_200_000L, "2.2ms")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(604_800_000_000_000L, "168h0m0s")]
    [InlineData(-1_000_000_000L, "-1s")]
    [InlineData(long.MaxValue, "2562047h47m16.854775807s")]
    [InlineData(long.MinValue, "-2562047h47m16.854775808s")]
    public void FormatNanoseconds_MatchesGoString(long ns, string expected) =>
        Assert.Equal(expected, GoDuration.FormatNanoseconds(ns));

    [Fact]
    public void Format_TimeSpan_MatchesGoString()
    {
        Assert.Equal("10s", GoDuration.Format(TimeSpan.FromSeconds(10)));
        Assert.Equal("1m0s", GoDuration.Format(TimeSpan.FromSeconds(60)));
        Assert.Equal("168h0m0s", GoDuration.Format(TimeSpan.FromHours(168)));
    }
}
