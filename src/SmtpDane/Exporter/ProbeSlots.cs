namespace SmtpDane.Exporter;

/// <summary>How <see cref="ProbeSlots.EnterAsync"/> ended.</summary>
public enum ProbeSlotOutcome
{
    /// <summary>A slot is held; call <see cref="ProbeSlots.Exit"/> when the check ends.</summary>
    Started,

    /// <summary>Too many requests already waiting: refused at once.</summary>
    QueueFull,

    /// <summary>No slot became free before the request's latest start.</summary>
    NoSlotInTime,
}

/// <summary>
/// A bounded queue in front of the checks: at most <c>slots</c> run, at most <c>maxWaiting</c>
/// wait, each for no longer than it may, measured on the given <see cref="TimeProvider"/>. A
/// request that cannot start in time learns so at once, instead of starting with no time left.
/// </summary>
public sealed class ProbeSlots : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _maxWaiting;
    private readonly TimeProvider _time;
    private int _waiting;

    public ProbeSlots(int slots, int maxWaiting, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWaiting);
        _slots = new SemaphoreSlim(slots, slots);
        _maxWaiting = maxWaiting;
        _time = time;
    }

    public int Waiting => Volatile.Read(ref _waiting);

    public async Task<ProbeSlotOutcome> EnterAsync(TimeSpan maxWait, CancellationToken ct)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return ProbeSlotOutcome.Started;
        }

        if (maxWait <= TimeSpan.Zero)
        {
            return ProbeSlotOutcome.NoSlotInTime;
        }

        if (Interlocked.Increment(ref _waiting) > _maxWaiting)
        {
            Interlocked.Decrement(ref _waiting);
            return ProbeSlotOutcome.QueueFull;
        }

        try
        {
            using var timeout = new CancellationTokenSource(maxWait, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
            return ProbeSlotOutcome.Started;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ProbeSlotOutcome.NoSlotInTime;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
