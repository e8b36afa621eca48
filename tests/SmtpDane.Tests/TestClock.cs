using Microsoft.Extensions.Time.Testing;

namespace SmtpDane.Tests;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also knows which timers are armed, so a test moves the
/// clock exactly when the code under test waits on a deadline: after the timer exists, never
/// before (an early Advance would be lost) and never on the real clock. Deadlines built with
/// <c>new CancellationTokenSource(delay, time)</c>, <c>Task.Delay(delay, time, ct)</c> or
/// <c>task.WaitAsync(delay, time)</c> all arm a timer here.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    /// <summary>How long (real time) a test waits for a timer before failing: a hang guard, not a deadline under test.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<ArmedTimer> _armed = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TestClock()
    {
    }

    public TestClock(DateTimeOffset start)
        : base(start)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var armed = new ArmedTimer(this, period);
        armed.Arm(dueTime);

        // The fake clock may fire a zero-delay timer inside CreateTimer: the entry exists first.
        armed.Inner = base.CreateTimer(
            s =>
            {
                armed.Fired();
                callback(s);
            },
            state,
            dueTime,
            period);
        return armed;
    }

    /// <summary>Waits until a timer of <paramref name="dueTime"/> is armed (one not waited for before).</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var match = _armed.FirstOrDefault(t => t.DueTime == dueTime && !t.Claimed);
                if (match is not null)
                {
                    match.Claimed = true;
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no timer of {dueTime} was armed within {HangGuard} of real time; armed: [{string.Join(", ", Armed)}]");
            }
        }
    }

    /// <summary>Waits until a timer of <paramref name="dueTime"/> is armed, then moves the clock by that much, firing it.</summary>
    public async Task ElapseAsync(TimeSpan dueTime)
    {
        await WaitForTimerAsync(dueTime);
        Advance(dueTime);
    }

    /// <summary>Due times of the timers armed now, for failure messages.</summary>
    public IReadOnlyList<TimeSpan> Armed
    {
        get
        {
            lock (_gate)
            {
                return [.. _armed.Select(t => t.DueTime)];
            }
        }
    }

    private void Track(ArmedTimer timer, bool armed)
    {
        lock (_gate)
        {
            _armed.Remove(timer);
            if (armed)
            {
                _armed.Add(timer);
            }

            var changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
    }

    private sealed class ArmedTimer(TestClock clock, TimeSpan period) : ITimer
    {
        private TimeSpan _period = period;

        public ITimer? Inner { get; set; }

        public TimeSpan DueTime { get; private set; }

        public bool Claimed { get; set; }

        public void Arm(TimeSpan dueTime)
        {
            DueTime = dueTime;
            Claimed = false;
            clock.Track(this, dueTime != Timeout.InfiniteTimeSpan);
        }

        public void Fired()
        {
            if (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero)
            {
                clock.Track(this, armed: false);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            Arm(dueTime);
            return Inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            clock.Track(this, armed: false);
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
