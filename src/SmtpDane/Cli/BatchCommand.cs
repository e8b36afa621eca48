using System.Runtime.CompilerServices;
using SmtpDane.Batch;
using SmtpDane.Dane;
using SmtpDane.Dns;
using SmtpDane.Model;
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
        var parser = new TargetFileParser(settings, batch.Services);
        var fromStdin = batch.File == "-";
        var shownFile = HostileText.ForTerminal(GoDuration.Quote(batch.File));
        TextReader input;
        try
        {
            input = fromStdin ? stdin : await OpenAsync(batch.File, settings.OverallTimeout, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException)
        {
            await stderr.WriteLineAsync($"smtpdane: cannot read -f {shownFile}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadFlags;
        }

        try
        {
            BatchProgress? progress = null;
            if (stderrIsTerminal)
            {
                var total = fromStdin ? (int?)null : await CountAsync(batch.File, parser, batch.Shard, settings.OverallTimeout, ct).ConfigureAwait(false);
                progress = new BatchProgress(stderr, TimeProvider.System, total);
            }

            var started = TimeProvider.System.GetUtcNow();
            var startTicks = TimeProvider.System.GetTimestamp();
            var renderer = new BatchRenderer(options.Output, stdout, started);
            using var runCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var dns = new CachingDnsResolver(resolver, batch.DnsParallel, DnsCacheCapacity, settings.OverallTimeout, runCts.Token);
            using var runner = new BatchRunner(dns, connector, settings, knownCas, TimeProvider.System, batch.Parallel);
            await runner.RunAsync(
                ReadAsync(input, parser, batch.Shard, settings.OverallTimeout, ct),
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
        catch (Exception e) when (e is IOException or InvalidDataException or TimeoutException)
        {
            // Results so far are out; the list itself is bad (too big, binary, stalled).
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await stderr.WriteLineAsync($"smtpdane: cannot read -f {shownFile}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Problems;
        }
        finally
        {
            if (!fromStdin)
            {
                input.Dispose();
            }
        }
    }

    /// <summary>
    /// A target file through <see cref="BoundedFile"/> (cap <see cref="TargetFileParser.MaxFileBytes"/>
    /// whatever the file type); opening a FIFO that no writer opens gives up after -timeout.
    /// </summary>
    private static async Task<TextReader> OpenAsync(string file, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            return new StreamReader(await BoundedFile.OpenAsync(file, TargetFileParser.MaxFileBytes, deadline.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"opening it did not finish within -timeout ({GoDuration.Format(timeout)}); a FIFO with no writer?");
        }
    }

    /// <summary>Lines as they come; a line that takes longer than <paramref name="timeout"/> to arrive ends the run.</summary>
    private static async IAsyncEnumerable<BatchTarget> ReadAsync(
        TextReader input,
        TargetFileParser parser,
        ShardSpec shard,
        TimeSpan timeout,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var reader = new BoundedLineReader(input);
        var number = 0;
        while (await NextLineAsync(reader, timeout, ct).ConfigureAwait(false) is { } line)
        {
            number++;
            if (parser.Parse(line, number) is { } target && shard.Contains(target.Normalized))
            {
                yield return target;
            }
        }
    }

    private static async Task<string?> NextLineAsync(BoundedLineReader reader, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            return await reader.ReadLineAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no complete line arrived within -timeout ({GoDuration.Format(timeout)})");
        }
    }

    /// <summary>A first pass over a file, for the progress line's total and ETA.</summary>
    private static async Task<int> CountAsync(string file, TargetFileParser parser, ShardSpec shard, TimeSpan timeout, CancellationToken ct)
    {
        using var input = await OpenAsync(file, timeout, ct).ConfigureAwait(false);
        var count = 0;
        await foreach (var _ in ReadAsync(input, parser, shard, timeout, ct).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }
}
