using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace SmtpDane.Dns;

/// <summary>
/// One libunbound context (<c>ub_ctx</c>) per run: the given resolvers as forwarders, our trust
/// anchors, its cache shared by every lookup of the run (so each zone's DNSKEY and DS RRsets are
/// fetched and validated once). Queries are asynchronous (<c>ub_resolve_async</c>, resolver
/// threads inside libunbound); one background thread of ours waits on <c>ub_fd</c> and runs
/// <c>ub_process</c>, which delivers the callbacks; <see cref="Dispose"/> wakes it through a
/// <see cref="WakeablePoller"/>, so disposal (and so a local-mode run's exit) does not wait. A cancelled or timed-out lookup is withdrawn
/// with <c>ub_cancel</c>.
/// </summary>
internal sealed class UnboundContext : IDisposable
{
    private readonly UnboundLibrary _lib;
    private readonly ConcurrentDictionary<Pending, bool> _outstanding = new();
    private readonly Thread _pump;
    private readonly WakeablePoller _poller;
    private readonly int _fd;
    private IntPtr _ctx;
    private volatile bool _stopping;

    /// <param name="forwarders">Recursive resolvers that pass DNSSEC records through (DO answered with RRSIGs).</param>
    /// <param name="anchors">Root trust anchors (DS form).</param>
    /// <exception cref="UnboundUnavailableException">libunbound is missing.</exception>
    /// <exception cref="ResolverConfigException">libunbound refused the configuration.</exception>
    public unsafe UnboundContext(IReadOnlyList<IPEndPoint> forwarders, IReadOnlyList<TrustAnchor> anchors)
    {
        _lib = UnboundLibrary.Load();
        _ctx = _lib.CtxCreate();
        if (_ctx == IntPtr.Zero)
        {
            throw new ResolverConfigException("libunbound could not create a resolver context (out of memory?)");
        }

        try
        {
            // Threads, not the default forked process: callbacks come back in this process.
            Check(_lib.CtxAsync(_ctx, 1), "ub_ctx_async");

            // why_bogus is only filled in at val-log-level 2; libunbound's own log goes nowhere:
            // checks never print, the reason reaches the operator as a finding.
            SetOption("val-log-level:", "2");
            SetOption("logfile:", "/dev/null");
            SetOption("use-syslog:", "no");

            foreach (var forwarder in forwarders)
            {
                // unbound's address syntax: "192.0.2.1@53", "2001:db8::53@53".
                Check(Call(_lib.CtxSetFwd, $"{forwarder.Address}@{forwarder.Port}"), $"forwarder {forwarder}");
            }

            foreach (var anchor in anchors)
            {
                Check(Call(_lib.CtxAddTa, $". IN DS {anchor}"), $"trust anchor {anchor.KeyTag}");
            }

            // unbound answers these special-use names from built-in empty zones (RFC 6761); we
            // ask the forwarders, as resolver mode does (test. is the test bed's TLD). Removing a
            // zone freezes the configuration, so this comes last.
            foreach (var zone in (string[])["test.", "invalid.", "onion.", "home.arpa."])
            {
                Check(Call(_lib.CtxZoneRemove, zone), $"removal of the built-in zone {zone}");
            }

            _fd = _lib.Fd(_ctx);
            _poller = new WakeablePoller();
        }
        catch
        {
            _lib.CtxDelete(_ctx);
            throw;
        }

        _pump = new Thread(Pump) { IsBackground = true, Name = "libunbound" };
        _pump.Start();
    }

    /// <summary>Resolves and validates one name (presentation form, absolute) for one type, class IN.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> fired; the query is withdrawn.</exception>
    public async Task<UnboundReply> ResolveAsync(string name, ushort type, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        var (pending, failure) = Submit(name, type);
        if (pending is null)
        {
            return UnboundReply.Error(failure!);
        }

        using (ct.Register(static p => ((Pending)p!).CancelFromCaller(), pending))
        {
            return await pending.Completion.Task.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private unsafe (Pending? Pending, string? Failure) Submit(string name, ushort type)
    {
        var pending = new Pending(this);
        var handle = GCHandle.Alloc(pending);
        pending.Handle = handle;
        _outstanding[pending] = true;
        int id, rc;
        var nameBytes = Encoding.UTF8.GetBytes(name.Length == 0 ? ".\0" : name + ".\0");
        fixed (byte* n = nameBytes)
        {
            rc = _lib.ResolveAsync(_ctx, n, type, 1, GCHandle.ToIntPtr(handle), &OnResult, &id);
        }

        if (rc != 0)
        {
            pending.Release();
            return (null, $"libunbound refused the query: {_lib.ErrorText(rc)}");
        }

        pending.AsyncId = id;
        return (pending, null);
    }

    public unsafe void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _poller.Wake();
        _pump.Join();
        _poller.Dispose();

        // ub_ctx_delete stops libunbound's threads; callbacks of queries still out never come.
        _lib.CtxDelete(_ctx);
        _ctx = IntPtr.Zero;
        foreach (var pending in _outstanding.Keys)
        {
            pending.Completion.TrySetException(new ObjectDisposedException(nameof(UnboundContext)));
            pending.Release();
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private unsafe static void OnResult(IntPtr mydata, int err, UnboundResult* result)
    {
        var pending = (Pending)GCHandle.FromIntPtr(mydata).Target!;
        var lib = pending.Owner._lib;
        try
        {
            pending.Completion.TrySetResult(err != 0 || result is null
                ? UnboundReply.Error($"libunbound: {lib.ErrorText(err)}")
                : UnboundReply.From(result));
        }
        catch (Exception e)
        {
            pending.Completion.TrySetResult(UnboundReply.Error($"unusable libunbound result ({e.GetType().Name})"));
        }
        finally
        {
            if (result is not null)
            {
                lib.ResolveFree(result);
            }

            pending.Release();
        }
    }

    // ub_process reads every finished answer and runs its callback (OnResult) on this thread.
    private unsafe void Pump() => _poller.Run(_fd, () => _lib.Process(_ctx));

    private unsafe void SetOption(string option, string value)
    {
        var o = Encoding.UTF8.GetBytes(option + "\0");
        var v = Encoding.UTF8.GetBytes(value + "\0");
        fixed (byte* op = o, va = v)
        {
            Check(_lib.CtxSetOption(_ctx, op, va), $"option {option} {value}");
        }
    }

    private unsafe int Call(delegate* unmanaged[Cdecl]<IntPtr, byte*, int> function, string argument)
    {
        var bytes = Encoding.UTF8.GetBytes(argument + "\0");
        fixed (byte* a = bytes)
        {
            return function(_ctx, a);
        }
    }

    private void Check(int rc, string what)
    {
        if (rc != 0)
        {
            throw new ResolverConfigException($"libunbound refused {what}: {_lib.ErrorText(rc)}");
        }
    }

    /// <summary>One query in flight. Whoever removes it from the owner's set frees its handle, once.</summary>
    private sealed unsafe class Pending(UnboundContext owner)
    {
        public UnboundContext Owner { get; } = owner;

        public TaskCompletionSource<UnboundReply> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public GCHandle Handle { get; set; }

        public int AsyncId { get; set; }

        public void Release()
        {
            if (Owner._outstanding.TryRemove(this, out _))
            {
                Handle.Free();
            }
        }

        /// <summary>
        /// ub_cancel succeeds only while libunbound still holds the query; its callback then never
        /// runs, so the handle is ours to free. Otherwise the callback has run or is running.
        /// </summary>
        public void CancelFromCaller()
        {
            if (Owner._stopping || !Owner._outstanding.ContainsKey(this))
            {
                return;
            }

            if (Owner._lib.Cancel(Owner._ctx, AsyncId) == 0)
            {
                Release();
            }
        }
    }
}
