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
    private readonly SemaphoreSlim slots;
    private readonly int maxWaiting;
    private readonly TimeProvider time;
    private int waiting;

    public ProbeSlots(int slots, int maxWaiting, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWaiting);
        this.slots = new SemaphoreSlim(slots, slots);
        this.maxWaiting = maxWaiting;
        this.time = time;
    }

    public int Waiting => Volatile.Read(ref waiting);

    public async Task<ProbeSlotOutcome> EnterAsync(TimeSpan maxWait, CancellationToken ct)
    {
        if (slots.Wait(0, CancellationToken.None))
        {
            return ProbeSlotOutcome.Started;
        }

        if (maxWait <= TimeSpan.Zero)
        {
            return ProbeSlotOutcome.NoSlotInTime;
        }

        if (Interlocked.Increment(ref waiting) > maxWaiting)
        {
            Interlocked.Decrement(ref waiting);
            return ProbeSlotOutcome.QueueFull;
        }

        try
        {
            using var timeout = new CancellationTokenSource(maxWait, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            await slots.WaitAsync(linked.Token).ConfigureAwait(false);
            return ProbeSlotOutcome.Started;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ProbeSlotOutcome.NoSlotInTime;
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
    }

    public void Exit() => slots.Release();

    public void Dispose() => slots.Dispose();
}
