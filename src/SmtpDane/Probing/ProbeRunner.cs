using System.Net;
using SmtpDane.Certificates;
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
    private readonly IConnector _connector;
    private readonly ProbeSettings _settings;
    private readonly KnownCaStore? _knownCas;
    private readonly TimeProvider _time;

    /// <param name="settings">The run's settings; each request brings its own mode, SRV service, TLS mode and MTA-STS choice.</param>
    public ProbeRunner(IDnsResolver dns, IConnector connector, ProbeSettings settings, KnownCaStore? knownCas, TimeProvider time)
    {
        _dns = dns;
        _connector = connector;
        _settings = settings;
        _knownCas = knownCas;
        _time = time;
    }

    public async Task<RunResult> RunAsync(IReadOnlyList<ProbeRequest> requests, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var started = _time.GetUtcNow();
        var startTicks = _time.GetTimestamp();
        using var overall = new CancellationTokenSource(_settings.OverallTimeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, overall.Token);
        using var slots = new SemaphoreSlim(MaxParallelProbes, MaxParallelProbes);

        // The Web PKI trust store is loaded once per run, and only when a request checks MTA-STS.
        var web = requests.Any(r => r.MtaSts) ? StsSetup.Validator(_settings with { MtaSts = true }, _time) : null;
        var sts = StsSetup.Checker(_settings, _dns, _connector, web, _time);
        var run = new Run(slots, web, sts, deadline.Token, ct);
        var results = await Task.WhenAll(requests.Select(r => RunTargetAsync(r, run))).ConfigureAwait(false);
        return new RunResult(results, [], started, _time.GetElapsedTime(startTicks));
    }

    private async Task<TargetResult> RunTargetAsync(ProbeRequest request, Run run)
    {
        var target = request.Target;
        var settings = request.Apply(_settings);
        var prober = new AddressProber(_connector, settings, _time, request.MtaSts ? run.Web : null);

        // MTA-STS (TXT, policy fetch) runs beside discovery and the probes; judged once all are in.
        var stsTask = StsSetup.CheckAsync(request.MtaSts ? run.Sts : null, target, TimedOut, run.Deadline, run.UserCt);
        var (discovered, failed) = await RunFailures.DiscoverAsync(_dns, settings, target, TimedOut, run.Deadline, run.UserCt).ConfigureAwait(false);
        if (discovered is null)
        {
            return StsSetup.Judge(failed!, await stsTask.ConfigureAwait(false));
        }

        var hosts = await Task.WhenAll(discovered.Hosts.Select(h => RunHostAsync(h, prober, settings.TlsOnConnect, run))).ConfigureAwait(false);
        return StsSetup.Judge(new TargetResult(target, discovered.Findings, hosts), await stsTask.ConfigureAwait(false));
    }

    private async Task<HostResult> RunHostAsync(DiscoveredHost host, AddressProber prober, bool tlsOnConnect, Run run)
    {
        var findings = new List<Finding>(host.Findings);
        if (_knownCas is not null)
        {
            findings.AddRange(KnownCaFindings(_knownCas, host));
        }

        var addresses = await Task.WhenAll(host.Addresses.Select(a => ProbeAddressAsync(host, a, prober, run))).ConfigureAwait(false);
        return new HostResult(host.Name, host.Port, host.Preference, tlsOnConnect, findings, host.TlsaBaseName, host.AllTlsa, addresses);
    }

    private async Task<AddressResult> ProbeAddressAsync(DiscoveredHost host, IPAddress address, AddressProber prober, Run run)
    {
        try
        {
            await run.Slots.WaitAsync(run.Deadline).ConfigureAwait(false);
            try
            {
                return await prober.ProbeAsync(host, address, run.Deadline).ConfigureAwait(false);
            }
            finally
            {
                run.Slots.Release();
            }
        }
        catch (OperationCanceledException) when (!run.UserCt.IsCancellationRequested)
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

    /// <summary>What every target of one <see cref="RunAsync"/> shares.</summary>
    private sealed record Run(SemaphoreSlim Slots, WebPkiValidator? Web, MtaStsChecker? Sts, CancellationToken Deadline, CancellationToken UserCt);
}
