using System.Net;
using System.Net.NetworkInformation;
using SmtpDane.Dane;
using SmtpDane.Dns;
using SmtpDane.Exporter;
using SmtpDane.Net;
using SmtpDane.Reporting;
using SmtpDane.Targets;

namespace SmtpDane.Cli;

/// <summary><c>smtpdane serve</c>: composes the exporter and serves until interrupted.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(
        CliOptions options,
        IDnsResolver resolver,
        IConnector connector,
        KnownCaStore? knownCas,
        TextWriter stderr,
        CancellationToken ct)
    {
        var serve = options.Serve!;
        var counters = new ExporterCounters();
        var endpoint = ExporterServer.Endpoint(serve.Listen);
        var allow = serve.AllowTargets.WithOwn(OwnAddresses(), [endpoint]);
        var limits = new ExporterLimits
        {
            MaxConnections = serve.MaxConnections,
            ParallelProbes = serve.Parallel,
            MaxWaitingProbes = serve.Parallel * 4,
        }.FitTo(ExporterLimits.DescriptorLimit(), ExporterLimits.OpenDescriptors());
        using var probes = new ProbeService(
            resolver,
            connector,
            options.Probe,
            knownCas,
            TimeProvider.System,
            counters,
            ServiceTable.FromFile(ServiceTable.DefaultPath),
            limits,
            allow,
            serve.CacheTtl,
            ct);
        var server = new ExporterServer(endpoint, probes, counters, limits, TimeProvider.System);
        try
        {
            await server.RunAsync(
                () => stderr.WriteLine($"smtpdane: serving Prometheus metrics on http://{serve.Listen}/probe?target=…&mode=mx and /metrics (at most {limits.MaxConnections} connections, {limits.ParallelProbes} checks at once)"),
                ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"smtpdane: cannot listen on {HostileText.ForTerminal(serve.Listen)}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Problems;
        }

        return ExitCodes.Ok;
    }

    /// <summary>This machine's addresses, refused as targets by default (see <see cref="TargetAllowList"/>).</summary>
    private static List<IPAddress> OwnAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Select(u => u.Address)
                .ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}
