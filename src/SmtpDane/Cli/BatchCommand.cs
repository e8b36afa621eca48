using System.Runtime.CompilerServices;
using SmtpDane.Batch;
using SmtpDane.Dane;
using SmtpDane.Dns;
using SmtpDane.Net;
using SmtpDane.Reporting;
using SmtpDane.Targets;

namespace SmtpDane.Cli;

/// <summary>
/// -f: reads targets line by line (a file, or stdin for "-"), keeps the lines of this -shard, runs
/// them through <see cref="BatchRunner"/> and streams each result, in input order, to stdout.
/// Progress goes to stderr, only when it is a terminal.
/// </summary>
internal static class BatchCommand
{
    /// <summary>DNS answers kept per run (LRU); a shared MX host's answers stay while in use.</summary>
    private const int DnsCacheCapacity = 16_384;

    public static async Task<int> RunAsync(
        CliOptions options,
        IDnsResolver resolver,
        IConnector connector,
        KnownCaStore? knownCas,
        TextReader stdin,
        TextWriter stdout,
        TextWriter stderr,
        bool stderrIsTerminal,
        CancellationToken ct)
    {
        var batch = options.Batch!;
        var settings = options.Probe;
        var parser = new TargetFileParser(settings.Mode, settings.SrvService, settings.TlsOnConnect, batch.Services);
        var fromStdin = batch.File == "-";
        TextReader input;
        try
        {
            input = fromStdin ? stdin : new StreamReader(batch.File);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"smtpdane: cannot read -f {HostileText.ForTerminal(GoDuration.Quote(batch.File))}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadFlags;
        }

        try
        {
            BatchProgress? progress = null;
            if (stderrIsTerminal)
            {
                var total = fromStdin ? (int?)null : await CountAsync(batch.File, parser, batch.Shard, ct).ConfigureAwait(false);
                progress = new BatchProgress(stderr, TimeProvider.System, total);
            }

            var started = TimeProvider.System.GetUtcNow();
            var startTicks = TimeProvider.System.GetTimestamp();
            var renderer = new BatchRenderer(options.Output, stdout, started);
            using var runCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var dns = new CachingDnsResolver(resolver, batch.DnsParallel, DnsCacheCapacity, settings.OverallTimeout, runCts.Token);
            using var runner = new BatchRunner(dns, connector, settings, knownCas, TimeProvider.System, batch.Parallel);
            await runner.RunAsync(
                ReadAsync(input, parser, batch.Shard, ct),
                async (_, result, c) =>
                {
                    renderer.WriteTarget(result);
                    await stdout.FlushAsync(c).ConfigureAwait(false);
                    progress?.Report(renderer.Targets, renderer.FailedTargets);
                },
                runCts.Token).ConfigureAwait(false);
            progress?.Finish(renderer.Targets, renderer.FailedTargets);
            renderer.WriteSummary(TimeProvider.System.GetElapsedTime(startTicks), runner.SharedProbes, batch.Shard.ToString(), RemoteAdNotice.For(resolver));
            await stdout.FlushAsync(ct).ConfigureAwait(false);
            return renderer.ExitCode;
        }
        finally
        {
            if (!fromStdin)
            {
                input.Dispose();
            }
        }
    }

    private static async IAsyncEnumerable<BatchTarget> ReadAsync(
        TextReader input,
        TargetFileParser parser,
        ShardSpec shard,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var reader = new BoundedLineReader(input);
        var number = 0;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            number++;
            if (parser.Parse(line, number) is { } target && shard.Contains(target.Normalized))
            {
                yield return target;
            }
        }
    }

    /// <summary>A first pass over a file, for the progress line's total and ETA.</summary>
    private static async Task<int> CountAsync(string file, TargetFileParser parser, ShardSpec shard, CancellationToken ct)
    {
        using var input = new StreamReader(file);
        var count = 0;
        await foreach (var _ in ReadAsync(input, parser, shard, ct).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }
}
