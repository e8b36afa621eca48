using System.Net;
using System.Threading.Channels;
using SmtpDane.Dane;
using SmtpDane.Discovery;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.MtaSts;
using SmtpDane.Net;
using SmtpDane.Probing;

namespace SmtpDane.Batch;

/// <summary>
/// Runs a stream of targets (-f) with bounded concurrency and hands each result back in input
/// order as soon as it and every earlier one are done: at most <see cref="Window"/> targets are
/// in flight or waiting to be handed back, so memory does not grow with the input. Each
/// host:address:port is probed once per run (an LRU of <see cref="ProbeCacheCapacity"/> entries)
/// and the result attached to every target that uses it, with a <see cref="FindingCodes.ProbeShared"/>
/// finding. At most -parallel probes run at once; DNS concurrency is the resolver's business
/// (<see cref="CachingDnsResolver"/>). Deadlines: -timeout bounds each target's discovery and each
/// probe (from when it gets a slot), not the whole run.
/// </summary>
public sealed class BatchRunner : IDisposable
{
    public const int ProbeCacheCapacity = 2048;

    /// <summary>Targets handed back between two full collections (see <see cref="CollectOldGarbage"/>).</summary>
    internal const int CollectEvery = 1000;

    private readonly IDnsResolver _dns;
    private readonly ProbeSettings _settings;
    private readonly KnownCaStore? _knownCas;
    private readonly AddressProber _starttlsProber;
    private readonly AddressProber _tlsProber;
    private readonly SemaphoreSlim _probeSlots;
    private readonly TimeProvider _time;
    private readonly LruCache<string, Lazy<Task<AddressResult>>> _probes = new(ProbeCacheCapacity);

    // Which input line first used each probe; touched only by the in-order consumer.
    private readonly LruCache<string, (int Line, string Argument)> _owners = new(ProbeCacheCapacity);
    private int _sharedCount;
    private int _handedBack;
    private readonly MtaStsChecker? _sts;

    public BatchRunner(IDnsResolver dns, IConnector connector, ProbeSettings settings, KnownCaStore? knownCas, TimeProvider time, int parallel)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        _dns = dns;
        _settings = settings;
        _knownCas = knownCas;
        _time = time;
        var web = StsSetup.Validator(settings, time);
        _sts = StsSetup.Checker(settings, dns, connector, web, time);
        _starttlsProber = new AddressProber(connector, settings with { TlsOnConnect = false }, time, web);
        _tlsProber = new AddressProber(connector, settings with { TlsOnConnect = true }, time, web);
        _probeSlots = new SemaphoreSlim(parallel, parallel);
        Window = Math.Clamp(parallel * 4, 16, 4096);
    }

    /// <summary>Targets in flight or finished but not yet handed back, at most.</summary>
    public int Window { get; }

    /// <summary>Probes answered from the per-run cache so far.</summary>
    public int SharedProbes => Volatile.Read(ref _sharedCount);

    public async Task RunAsync(
        IAsyncEnumerable<BatchTarget> targets,
        Func<BatchTarget, TargetResult, CancellationToken, ValueTask> onResult,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(onResult);
        var pending = Channel.CreateBounded<(BatchTarget Line, Task<(TargetResult Result, string[][] Keys)> Result)>(
            new BoundedChannelOptions(Window) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var producer = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var line in targets.WithCancellation(stop.Token).ConfigureAwait(false))
                    {
                        await pending.Writer.WriteAsync((line, RunTargetAsync(line, stop.Token)), stop.Token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    pending.Writer.TryComplete();
                }
            },
            stop.Token);

        try
        {
            await foreach (var (line, result) in pending.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var (target, keys) = await result.ConfigureAwait(false);
                await onResult(line, MarkShared(line, target, keys), stop.Token).ConfigureAwait(false);
                if (++_handedBack % CollectEvery == 0)
                {
                    CollectOldGarbage();
                }
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }

        await producer.ConfigureAwait(false);
    }

    public void Dispose() => _probeSlots.Dispose();

    /// <summary>
    /// The per-run caches (probes here, DNS answers in <see cref="CachingDnsResolver"/>) live long
    /// enough to reach gen2, and once evicted they are gen2 garbage, which the GC's own budget let
    /// grow by ~13 KB per target (peak RSS rising with the list: bench/RESULTS.md, target 3) while
    /// the live heap stayed at ~25 MB. A full compacting collection every
    /// <see cref="CollectEvery"/> targets (tens of ms against seconds of work) keeps RSS flat.
    /// </summary>
    private static void CollectOldGarbage() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>A bad line, as a target with one error finding, so it is counted and shown in order.</summary>
    internal TargetResult Invalid(BatchTarget line) =>
        new(
            new Target(line.Normalized, _settings.Mode, line.Normalized, null),
            [Finding.Error(FindingCodes.BatchInvalidLine, line.Error ?? $"line {line.LineNumber} is not a target")],
            []);

    private async Task<(TargetResult Result, string[][] Keys)> RunTargetAsync(BatchTarget line, CancellationToken ct)
    {
        if (line.Request is not { } request)
        {
            return (Invalid(line), []);
        }

        var target = request.Target;
        var lineSettings = request.Apply(_settings);
        DiscoveredTarget? discovered;
        TargetResult? failed;
        using var stsTimer = new CancellationTokenSource(_settings.OverallTimeout, _time);
        using var stsDeadline = CancellationTokenSource.CreateLinkedTokenSource(ct, stsTimer.Token);
        var stsTask = StsSetup.CheckAsync(request.MtaSts ? _sts : null, target, TimedOut, stsDeadline.Token, ct); // -mta-sts: beside discovery and probes
        using (var timer = new CancellationTokenSource(_settings.OverallTimeout, _time))
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token))
        {
            (discovered, failed) = await RunFailures.DiscoverAsync(_dns, lineSettings, target, TimedOut, deadline.Token, ct).ConfigureAwait(false);
        }

        if (discovered is null)
        {
            return (StsSetup.Judge(failed!, await stsTask.ConfigureAwait(false)), []);
        }

        var hosts = await Task.WhenAll(discovered.Hosts.Select(h => RunHostAsync(request.TlsOnConnect, h, ct))).ConfigureAwait(false);
        var result = new TargetResult(target, discovered.Findings, [.. hosts.Select(h => h.Result)]);
        return (StsSetup.Judge(result, await stsTask.ConfigureAwait(false)), [.. hosts.Select(h => h.Keys)]);
    }

    private async Task<(HostResult Result, string[] Keys)> RunHostAsync(bool tlsOnConnect, DiscoveredHost host, CancellationToken ct)
    {
        var findings = new List<Finding>(host.Findings);
        if (_knownCas is not null)
        {
            findings.AddRange(ProbeRunner.KnownCaFindings(_knownCas, host));
        }

        var addresses = await Task.WhenAll(host.Addresses.Select(a => ProbeOnceAsync(host, a, tlsOnConnect, ct))).ConfigureAwait(false);
        return (
            new HostResult(host.Name, host.Port, host.Preference, tlsOnConnect, findings, host.TlsaBaseName, host.AllTlsa, addresses),
            [.. host.Addresses.Select(a => ProbeKey(host, a, tlsOnConnect))]);
    }

    private Task<AddressResult> ProbeOnceAsync(DiscoveredHost host, IPAddress address, bool tlsOnConnect, CancellationToken ct)
    {
        var (shared, _) = _probes.GetOrAdd(
            ProbeKey(host, address, tlsOnConnect),
            _ => new Lazy<Task<AddressResult>>(() => ProbeAsync(host, address, tlsOnConnect, ct)));
        return shared.Value.WaitAsync(ct);
    }

    /// <summary>
    /// Runs in input order, so the first line that uses a probe is its owner and every later one is
    /// told it shares that result, whichever target's discovery happened to finish first.
    /// </summary>
    private TargetResult MarkShared(BatchTarget line, TargetResult result, string[][] keys)
    {
        if (keys.Length == 0)
        {
            return result;
        }

        var hosts = new HostResult[result.Hosts.Count];
        for (var h = 0; h < hosts.Length; h++)
        {
            var host = result.Hosts[h];
            var addresses = new AddressResult[host.Addresses.Count];
            for (var a = 0; a < addresses.Length; a++)
            {
                var address = host.Addresses[a];
                var (owner, known) = _owners.GetOrAdd(keys[h][a], _ => (line.LineNumber, line.Target!.Argument));
                if (known && owner.Line != line.LineNumber)
                {
                    _sharedCount++;
                    address = address with
                    {
                        Findings =
                        [
                            .. address.Findings,
                            Finding.Info(
                                FindingCodes.ProbeShared,
                                $"\"{host.Name}\"[{address.Address}]:{host.Port} was probed once for this run, for \"{owner.Argument}\" (line {owner.Line}); this result is shared",
                                new Dictionary<string, string> { ["first_line"] = owner.Line.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
                        ],
                    };
                }

                addresses[a] = address;
            }

            hosts[h] = host with { Addresses = addresses };
        }

        return result with { Hosts = hosts };
    }

    private async Task<AddressResult> ProbeAsync(DiscoveredHost host, IPAddress address, bool tlsOnConnect, CancellationToken ct)
    {
        await _probeSlots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var timer = new CancellationTokenSource(_settings.OverallTimeout, _time);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
            return await (tlsOnConnect ? _tlsProber : _starttlsProber).ProbeAsync(host, address, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return RunFailures.Unfinished(host, address, TimedOut($"the probe of {ProbeRunner.Where(host, address)}"));
        }
        finally
        {
            _probeSlots.Release();
        }
    }

    /// <summary>
    /// Everything a probe's verdict depends on besides the global flags: the endpoint, TLS mode,
    /// SNI (the TLSA base name) and the usable records; the reference names only when a DANE-TA
    /// record makes names matter (RFC 7672 §3.2.2; DANE-EE ignores names, §3.2.1), so domains
    /// sharing an MX host share its probe, while DANE-TA hosts are shared only between domains
    /// whose names the certificate is checked against identically.
    /// </summary>
    internal static string ProbeKey(DiscoveredHost host, IPAddress address, bool tlsOnConnect)
    {
        var records = string.Join(',', host.UsableTlsa.Select(r => $"{r.Usage} {r.Selector} {r.MatchingType} {Convert.ToHexStringLower(r.Data)}").Order(StringComparer.Ordinal));
        var names = host.UsableTlsa.Any(r => r.Usage == (byte)TlsaUsage.DaneTa) ? string.Join(',', host.ReferenceNames) : string.Empty;
        return $"{host.Name}|{host.Port}|{address}|{(tlsOnConnect ? "tls" : "starttls")}|{host.TlsaOutcome}|{host.TlsaBaseName}|{records}|{names}";
    }

    // -timeout bounds each target's discovery and each probe here, not the run: "the deadline".
    private Finding TimedOut(string what) => RunFailures.TimedOut(what, "deadline", _settings.OverallTimeout);

}
