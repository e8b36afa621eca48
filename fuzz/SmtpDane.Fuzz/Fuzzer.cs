using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using SmtpDane.Model;

namespace SmtpDane.Fuzz;

/// <summary>What one target's run found.</summary>
internal sealed record FuzzSummary(string Target, long Execs, int CorpusSize, int Behaviours, int UniqueFailures, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"fuzz {Target,-12} execs={Execs,-8} corpus={CorpusSize,-5} behaviours={Behaviours,-5} unique_failures={UniqueFailures} ({Elapsed.TotalSeconds:0.0}s, {Execs / Math.Max(0.001, Elapsed.TotalSeconds):0}/s)";
}

/// <summary>
/// Runs one target: the seed corpus first, then mutants of the corpus until the time budget ends.
/// A mutant showing a new behaviour (outcome or exception kind) joins the corpus. A failure (an
/// undocumented exception, a broken property or a hang) is written to the crashes directory,
/// once per distinct failure.
/// </summary>
internal sealed class Fuzzer(FuzzTarget target, string corpusDir, string crashDir, int seed)
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(5);

    private readonly List<byte[]> _corpus = [];
    private readonly HashSet<string> _behaviours = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failures = new(StringComparer.Ordinal);

    public async Task<FuzzSummary> RunAsync(TimeSpan budget)
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(seed ^ StringComparer.Ordinal.GetHashCode(target.Name) ^ Stable(target.Name));
        var mutator = new Mutator(random, target.Dictionary, target.MaxInputLength);
        long execs = 0;
        foreach (var seedInput in LoadSeeds())
        {
            await ExecuteAsync(seedInput, keep: true);
            execs++;
        }

        if (_corpus.Count == 0)
        {
            _corpus.Add([]);
        }

        while (watch.Elapsed < budget)
        {
            var parent = _corpus[random.Next(_corpus.Count)];
            await ExecuteAsync(mutator.Mutate(parent, _corpus), keep: false);
            execs++;
        }

        return new FuzzSummary(target.Name, execs, _corpus.Count, _behaviours.Count, _failures.Count, watch.Elapsed);
    }

    private static int Stable(string s) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(s)));

    private IEnumerable<byte[]> LoadSeeds() =>
        Directory.Exists(corpusDir)
            ? Directory.GetFiles(corpusDir).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)
            : [];

    private async Task ExecuteAsync(byte[] input, bool keep)
    {
        string behaviour;
        var run = Task.Run(() => target.Run(input));
        try
        {
            await run.WaitAsync(Hang).ConfigureAwait(false);
            behaviour = "ok";
        }
        catch (TimeoutException) when (!run.IsCompleted)
        {
            Fail(input, "hang", $"no result within {Hang.TotalSeconds}s");
            return;
        }
        catch (Exception ex) when (ex is not PropertyException && target.Allowed(ex))
        {
            behaviour = ex.GetType().Name + ":" + Shape(ex.Message);
        }
        catch (Exception ex)
        {
            var frame = ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? "";
            Fail(input, $"{ex.GetType().Name} {(ex is PropertyException ? Shape(ex.Message) : frame)}", ex.ToString());
            return;
        }

        if (_behaviours.Add(behaviour) || keep)
        {
            _corpus.Add(input);
        }
    }

    /// <summary>A message's head without numbers, quoted or echoed peer text: one behaviour per kind of error.</summary>
    private static string Shape(string message)
    {
        var end = message.IndexOfAny(['"', ':']);
        var text = end >= 0 ? message[..end] : message;
        return new string([.. text.Where(c => !char.IsAsciiDigit(c)).Take(60)]);
    }

    private void Fail(byte[] input, string key, string details)
    {
        if (!_failures.Add(key))
        {
            return;
        }

        Directory.CreateDirectory(crashDir);
        var id = Convert.ToHexStringLower(SHA256.HashData(input))[..16];
        var path = Path.Combine(crashDir, $"{target.Name}-{id}");
        File.WriteAllBytes(path + ".bin", input);
        File.WriteAllText(path + ".txt", $"{key}\n\n{details}\n");
        Console.WriteLine($"fuzz {target.Name}: FAILURE {key} -> {path}.bin");
    }
}
