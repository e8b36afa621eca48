using System.Net;
using SmtpDane.Dane;
using SmtpDane.Discovery;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.MtaSts;
using SmtpDane.Net;

namespace SmtpDane.Probing;

/// <summary>
/// Runs a whole check: discovers every target, probes every host and address in parallel, and
/// assembles one result tree in a deterministic order (targets as given, hosts by preference,
/// addresses as discovered), never completion order. The overall deadline bounds everything:
/// what has not finished by then is reported as timed out (fail closed).
/// </summary>
public sealed class ProbeRunner
{
    /// <summary>
    /// At most this many address probes (SMTP connections) run at once, so a long argument list
    /// does not open hundreds of connections to one server (Postfix's default process limit is
    /// 100; the rest stall in its listen queue until their step timeouts fire). Waiting probes
    /// only spend the overall deadline.
    /// </summary>
    public const int MaxParallelProbes = 64;

    private readonly IDnsResolver _dns;
    private readonly ProbeSettings _settings;
    private readonly AddressProber _prober;
    private readonly KnownCaStore? _knownCas;
    private readonly TimeProvider _time;
    private readonly MtaStsChecker? _sts;

    public ProbeRunner(IDnsResolver dns, IConnector connector, ProbeSettings settings, KnownCaStore? knownCas, TimeProvider time)
    {
        _dns = dns;
        _settings = settings;
        _knownCas = knownCas;
        _time = time;
        var web = StsSetup.Validator(settings, time);
        _sts = StsSetup.Checker(settings, dns, connector, web, time);
        _prober = new AddressProber(connector, settings, time, web);
    }

    public async Task<RunResult> RunAsync(IReadOnlyList<Target> targets, CancellationToken ct)
    {
        var started = _time.GetUtcNow();
        var startTicks = _time.GetTimestamp();
        using var overall = new CancellationTokenSource(_settings.OverallTimeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, overall.Token);
        using var slots = new SemaphoreSlim(MaxParallelProbes, MaxParallelProbes);

        var results = await Task.WhenAll(targets.Select(t => RunTargetAsync(t, slots, deadline.Token, ct))).ConfigureAwait(false);
        return new RunResult(results, [], started, _time.GetElapsedTime(startTicks));
    }

    private async Task<TargetResult> RunTargetAsync(Target target, SemaphoreSlim slots, CancellationToken deadline, CancellationToken userCt)
    {
        // MTA-STS (TXT, policy fetch) runs beside discovery and the probes; judged once all are in.
        var stsTask = StsSetup.CheckAsync(_sts, target, TimedOut, deadline, userCt);
        var (discovered, failed) = await RunFailures.DiscoverAsync(_dns, _settings, target, TimedOut, deadline, userCt).ConfigureAwait(false);
        if (discovered is null)
        {
            return StsSetup.Judge(failed!, await stsTask.ConfigureAwait(false));
        }

        var hosts = await Task.WhenAll(discovered.Hosts.Select(h => RunHostAsync(h, slots, deadline, userCt))).ConfigureAwait(false);
        return StsSetup.Judge(new TargetResult(target, discovered.Findings, hosts), await stsTask.ConfigureAwait(false));
    }

    private async Task<HostResult> RunHostAsync(DiscoveredHost host, SemaphoreSlim slots, CancellationToken deadline, CancellationToken userCt)
    {
        var findings = new List<Finding>(host.Findings);
        if (_knownCas is not null)
        {
            findings.AddRange(KnownCaFindings(_knownCas, host));
        }

        var addresses = await Task.WhenAll(host.Addresses.Select(a => ProbeAddressAsync(host, a, slots, deadline, userCt))).ConfigureAwait(false);
        return new HostResult(host.Name, host.Port, host.Preference, _settings.TlsOnConnect, findings, host.TlsaBaseName, host.AllTlsa, addresses);
    }

    private async Task<AddressResult> ProbeAddressAsync(DiscoveredHost host, IPAddress address, SemaphoreSlim slots, CancellationToken deadline, CancellationToken userCt)
    {
        try
        {
            await slots.WaitAsync(deadline).ConfigureAwait(false);
            try
            {
                return await _prober.ProbeAsync(host, address, deadline).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
        catch (OperationCanceledException) when (!userCt.IsCancellationRequested)
        {
            return RunFailures.Unfinished(host, address, TimedOut($"the probe of {Where(host, address)}"));
        }
    }

    /// <summary>Names the well-known CAs among a host's DANE-TA records (shared with batch runs).</summary>
    internal static IEnumerable<Finding> KnownCaFindings(KnownCaStore knownCas, DiscoveredHost host)
    {
        foreach (var record in host.UsableTlsa.Where(r => r.Usage == (byte)TlsaUsage.DaneTa))
        {
            var ca = knownCas.Describe(record);
            if (ca is not null)
            {
                yield return Finding.Info(
                    FindingCodes.TlsaKnownCa,
                    $"TLSA record {record} matches the known CA \"{ca}\"",
                    new Dictionary<string, string> { ["tlsa"] = record.ToString(), ["ca"] = ca });
            }
        }
    }

    internal static string Where(DiscoveredHost host, IPAddress address) =>
        $"\"{host.Name}\"[{address}]:{host.Port}";

    private Finding TimedOut(string what) => RunFailures.TimedOut(what, "overall deadline", _settings.OverallTimeout);
}
