using System.Net;
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
        using var probes = new ProbeService(
            resolver,
            connector,
            options.Probe,
            knownCas,
            TimeProvider.System,
            counters,
            ServiceTable.FromFile(ServiceTable.DefaultPath),
            serve.Parallel,
            serve.CacheTtl,
            ct);
        using var server = new ExporterServer(ExporterServer.Prefix(serve.Listen), probes, counters, serve.Parallel * 4);
        try
        {
            await server.RunAsync(
                () => stderr.WriteLine($"smtpdane: serving Prometheus metrics on http://{serve.Listen}/probe?target=…&mode=mx and /metrics"),
                ct).ConfigureAwait(false);
        }
        catch (HttpListenerException e)
        {
            await stderr.WriteLineAsync($"smtpdane: cannot listen on {HostileText.ForTerminal(serve.Listen)}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Problems;
        }

        return ExitCodes.Ok;
    }
}
