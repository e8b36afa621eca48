using System.Globalization;

namespace SmtpDane.Batch;

/// <summary>
/// One self-overwriting status line on stderr (only when stderr is a terminal; never on stdout):
/// done/total, rate, failed targets, ETA. <see cref="Total"/> is unknown (null) when reading stdin.
/// Redrawn at most every 250 ms.
/// </summary>
public sealed class BatchProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly TextWriter _stderr;
    private readonly TimeProvider _time;
    private readonly long _startTicks;
    private TimeSpan _lastDraw = TimeSpan.MinValue;
    private bool _drawn;

    public BatchProgress(TextWriter stderr, TimeProvider time, int? total)
    {
        ArgumentNullException.ThrowIfNull(time);
        _stderr = stderr;
        _time = time;
        Total = total;
        _startTicks = time.GetTimestamp();
    }

    public int? Total { get; }

    public void Report(int done, int failed, bool force = false)
    {
        var elapsed = _time.GetElapsedTime(_startTicks);
        if (!force && elapsed - _lastDraw < Interval)
        {
            return;
        }

        _lastDraw = elapsed;
        _drawn = true;
        _stderr.Write("\r\u001b[K" + Line(done, failed, Total, elapsed));
        _stderr.Flush();
    }

    /// <summary>Ends the status line so later stderr output starts on a fresh line.</summary>
    public void Finish(int done, int failed)
    {
        Report(done, failed, force: true);
        if (_drawn)
        {
            _stderr.Write('\n');
            _stderr.Flush();
        }
    }

    /// <summary>"120/1000 targets, 34.2/s, 3 failed, ETA 0:25".</summary>
    public static string Line(int done, int failed, int? total, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var line = string.Create(CultureInfo.InvariantCulture, $"smtpdane: {done}{(total is { } t ? $"/{t}" : "")} targets, {rate:0.0}/s, {failed} failed");
        if (total is { } n && rate > 0 && done < n)
        {
            var eta = TimeSpan.FromSeconds(Math.Min((n - done) / rate, TimeSpan.FromDays(99).TotalSeconds));
            line += string.Create(CultureInfo.InvariantCulture, $", ETA {(int)eta.TotalHours}:{eta.Minutes:00}:{eta.Seconds:00}");
        }

        return line;
    }
}
