using SmtpDane.Dane;
using SmtpDane.Dns;
using SmtpDane.Net;
using SmtpDane.Probing;
using SmtpDane.Reporting;
using SmtpDane.Targets;


namespace SmtpDane.Cli;

/// <summary>
/// The whole program behind <c>Main</c>: parse, compose by hand, run, render, return the exit
/// code. Output goes only to the writers given, so tests run it in-process. No exception escapes:
/// an unexpected one is reported in one line with an error exit code, never as a stack trace.
/// </summary>
public static class CommandLineApp
{
    public static Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter stdout,
        TextWriter stderr,
        IReadOnlyDictionary<string, string?> environment,
        bool stdoutIsTerminal,
        CancellationToken ct) =>
        RunAsync(args, TextReader.Null, stdout, stderr, environment, stdoutIsTerminal, stderrIsTerminal: false, ct);

    /// <param name="stdin">Read by -f - only.</param>
    /// <param name="stderrIsTerminal">Whether -f may draw its progress line on stderr.</param>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextReader stdin,
        TextWriter stdout,
        TextWriter stderr,
        IReadOnlyDictionary<string, string?> environment,
        bool stdoutIsTerminal,
        bool stderrIsTerminal,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);
        ParseResult parsed;
        try
        {
            parsed = ArgumentParser.Parse(args, environment, stdoutIsTerminal);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The parser reports bad input as results; an exception here is our bug, but the
            // operator still gets one line and a bad-flags exit code, never a stack trace.
            var nagiosSeen = args.Any(a => a is "-nagios" or "--nagios" or "-nagios=true" or "--nagios=true");
            await ReportBadInputAsync($"internal error while reading the command line: {e.GetType().Name}: {e.Message}", nagiosSeen, stdout, stderr).ConfigureAwait(false);
            return ExitCodes.ForBadFlags(nagiosSeen);
        }

        switch (parsed.Outcome)
        {
            case ParseOutcome.Help:
                await stderr.WriteAsync(HelpText.Build()).ConfigureAwait(false);
                return 0;
            case ParseOutcome.Version:
                await stdout.WriteLineAsync(VersionText.Build()).ConfigureAwait(false);
                return parsed.ExitCode;
            case ParseOutcome.Error:
                await ReportBadInputAsync(parsed.Error ?? "invalid command line", parsed.Nagios, stdout, stderr).ConfigureAwait(false);
                if (parsed.ShowUsage && !parsed.Nagios)
                {
                    await stderr.WriteAsync(HelpText.Build()).ConfigureAwait(false);
                }

                return parsed.ExitCode;
        }

        var options = parsed.Options!;
        var nagios = options.NagiosExitCodes;
        try
        {
            IReadOnlyList<System.Net.IPEndPoint> servers;
            LocalValidatingResolver? local = null;
            try
            {
                environment.TryGetValue(ResolverEndpoints.EnvironmentVariable, out var dnsResolver);
                servers = ResolverEndpoints.Load(dnsResolver);
                if (options.DnssecMode == CliOptions.DnssecLocal)
                {
                    var anchors = options.TrustAnchorFile is null
                        ? TrustAnchors.BuiltIn
                        : await LoadAnchorsAsync(options.TrustAnchorFile, options.Probe.OverallTimeout, ct).ConfigureAwait(false);
                    local = LocalValidatingResolver.Create(servers, anchors);
                }
            }
            catch (Exception e) when (e is ResolverConfigException or TrustAnchorException)
            {
                await ReportBadInputAsync(e.Message, nagios, stdout, stderr).ConfigureAwait(false);
                return ExitCodes.ForBadFlags(nagios);
            }
            catch (UnboundUnavailableException e)
            {
                // The check cannot run here at all: UNKNOWN (3) in both modes, one sentence.
                await ReportBadInputAsync(e.Message, nagios, stdout, stderr).ConfigureAwait(false);
                return ExitCodes.NagiosUnknown;
            }

            using var localScope = local;
            IDnsResolver resolver = local is null ? new AdBitResolver(servers) : local;
            var settings = options.Probe;
            IConnector connector = settings.ProxyTcp is null
                ? new TcpConnector(settings.ConnectTimeout)
                : new Socks5Connector(settings.ProxyTcp, settings.ConnectTimeout);
            var knownCas = settings.NoCertNames ? null : new KnownCaStore();
            if (options.Batch is not null)
            {
                return await BatchCommand.RunAsync(options, resolver, connector, knownCas, stdin, stdout, stderr, stderrIsTerminal, ct).ConfigureAwait(false);
            }

            if (options.Serve is not null)
            {
                return await ServeCommand.RunAsync(options, resolver, connector, knownCas, stderr, ct).ConfigureAwait(false);
            }

            var runner = new ProbeRunner(resolver, connector, settings, knownCas, TimeProvider.System);
            var result = await runner.RunAsync(options.Requests, ct).ConfigureAwait(false);
            if (RemoteAdNotice.For(resolver) is { } notice)
            {
                result = result with { Findings = [.. result.Findings, notice] };
            }

            var code = ReportWriter.RenderAndGetExitCode(result, options.Output, stdout, stderr);
            await stdout.FlushAsync(ct).ConfigureAwait(false);
            await stderr.FlushAsync(ct).ConfigureAwait(false);
            return code;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("smtpdane: interrupted").ConfigureAwait(false);
            return nagios ? ExitCodes.NagiosUnknown : ExitCodes.Problems;
        }
        catch (Exception e)
        {
            // Fail closed, in one line: a monitor must never read a crash as success.
            var message = $"internal error: {e.GetType().Name}: {e.Message}";
            if (nagios)
            {
                await stdout.WriteLineAsync($"DANE UNKNOWN - {HostileText.ForNagios(message)}").ConfigureAwait(false);
                return ExitCodes.NagiosUnknown;
            }

            await stderr.WriteLineAsync($"smtpdane: {HostileText.ForTerminal(message)}").ConfigureAwait(false);
            return ExitCodes.Problems;
        }
    }

    /// <summary>-trust-anchor, bounded by -timeout as well as by the signals behind <paramref name="ct"/>.</summary>
    private static async Task<IReadOnlyList<TrustAnchor>> LoadAnchorsAsync(string path, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            return await TrustAnchors.LoadAsync(path, TimeProvider.System.GetUtcNow(), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TrustAnchorException($"reading trust anchor file {path} did not finish within -timeout ({GoDuration.Format(timeout)})");
        }
    }

    /// <summary>Go tool: with -nagios everything goes to stdout as an UNKNOWN line.</summary>
    private static async Task ReportBadInputAsync(string message, bool nagios, TextWriter stdout, TextWriter stderr)
    {
        if (nagios)
        {
            await stdout.WriteLineAsync(NagiosRenderer.BadFlagsLine(message)).ConfigureAwait(false);
        }
        else
        {
            await stderr.WriteLineAsync($"smtpdane: {HostileText.ForTerminal(message, 1000)}").ConfigureAwait(false);
        }
    }
}
