using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SmtpDane.Cli;
using Xunit.Abstractions;

namespace SmtpDane.IntegrationTests.Batch;

/// <summary>
/// -mx -json-lines -f over bulk.test.: 1,000 distinct customer domains of one hosting provider
/// (testbed/up.sh writes them and their expected verdicts to run/bulk-domains.tsv), all on a
/// few shared MX hosts. Every domain's verdict must match, in input order, and each shared host
/// must be probed once per run with every other use marked probe.shared. The output is consumed
/// line by line (never held whole) and the managed heap sampled per line; memory is only logged:
/// the heap is shared with tests running in parallel and GC timing varies, so no bound on it
/// would be reliable.
/// </summary>
public class BulkDomainTests(ITestOutputHelper log)
{
    /// <summary>Distinct probes bulk.test. can need: mx1/.11, mx2/.12, mxbad/.11, mxnotlsa/.13.</summary>
    private const int SharedHostAddresses = 4;

    private sealed record Expected(string Domain, string Status, IReadOnlyList<string> MxHosts);

    private sealed record HostLine(string Name, int Addresses, int SharedAddresses);

    private sealed record TargetLine(string Name, string Status, IReadOnlyList<HostLine> Hosts, string Json);

    private static List<Expected> LoadExpected()
    {
        var path = Path.Combine(Testbed.RunDirectory, "bulk-domains.tsv");
        Assert.True(File.Exists(path), $"{path} missing: the test bed predates bulk.test., rerun testbed/up.sh");
        var rows = new List<Expected>();
        foreach (var line in File.ReadLines(path).Skip(1).Where(l => l.Length > 0))
        {
            var cols = line.Split('\t');
            Assert.True(cols.Length == 3, $"bad row in {path}: {line}");
            rows.Add(new Expected(cols[0], cols[1], cols[2].Split(',')));
        }

        return rows;
    }

    private static TargetLine Summarize(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var hosts = new List<HostLine>();
        foreach (var host in root.GetProperty("hosts").EnumerateArray())
        {
            var addresses = host.GetProperty("addresses").EnumerateArray().ToList();
            var shared = addresses.Count(a => a.GetProperty("findings").EnumerateArray()
                .Any(f => f.GetProperty("code").GetString() == "probe.shared"));
            hosts.Add(new HostLine(host.GetProperty("name").GetString()!, addresses.Count, shared));
        }

        // Keep the raw line only where it helps a failure message; it is small for bulk.test.
        return new TargetLine(root.GetProperty("name").GetString()!, root.GetProperty("status").GetString()!, hosts, json);
    }

    [TestbedFact]
    public async Task Batch_ThousandDistinctDomains_VerdictsInOrderWithSharedProbes()
    {
        var expected = LoadExpected();
        Assert.Equal(1000, expected.Count);
        Assert.Equal(expected.Count, expected.Select(e => e.Domain).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains(expected, e => e.Status == "error");

        var file = Path.Combine(Path.GetTempPath(), $"smtpdane-bulk-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(file, ["# bulk.test. customer domains", .. expected.Select(e => e.Domain)]);
        try
        {
            var targets = new List<TargetLine>();
            var others = new List<string>();
            string? runLine = null;
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var workingSetBefore = Environment.WorkingSet;
            var heapPeak = heapBefore;
            using var sink = new LineSink(line =>
            {
                heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(forceFullCollection: false));
                using var doc = JsonDocument.Parse(line);
                switch (doc.RootElement.GetProperty("type").GetString())
                {
                    case "target":
                        targets.Add(Summarize(line));
                        break;
                    case "run":
                        runLine = line;
                        break;
                    default:
                        others.Add(line);
                        break;
                }
            });
            using var stderr = new StringWriter();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var clock = Stopwatch.StartNew();
            var code = await CommandLineApp.RunAsync(
                ["-mx", "-json-lines", "-parallel", "16", "-timeout", "30s", "-f", file],
                sink,
                stderr,
                new Dictionary<string, string?>(),
                stdoutIsTerminal: false,
                cts.Token);
            clock.Stop();
            var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            log.WriteLine(
                $"bulk: {expected.Count} domains in {clock.Elapsed.TotalSeconds:0.0}s; managed heap before {heapBefore >> 20} MiB, "
                + $"peak sampled per output line {heapPeak >> 20} MiB (+{(heapPeak - heapBefore) >> 20} MiB, includes garbage and parallel tests), "
                + $"after full GC {heapAfter >> 20} MiB; working set {workingSetBefore >> 20} -> {Environment.WorkingSet >> 20} MiB, "
                + $"process peak {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB (not asserted)");

            Assert.True(runLine is not null, $"no run line; stderr:\n{stderr}");
            Assert.Empty(others);
            Assert.Equal(expected.Count, targets.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                var want = expected[i];
                var got = targets[i];
                Assert.True(
                    want.Domain == got.Name && want.Status == got.Status,
                    $"line {i + 2}: expected {want.Domain} {want.Status} (MX {string.Join(',', want.MxHosts)}), got {got.Name} {got.Status}\n{got.Json}");
                Assert.Equal(want.MxHosts.Order(StringComparer.Ordinal), got.Hosts.Select(h => h.Name).Order(StringComparer.Ordinal));
            }

            // Each shared MX host is probed once (on whichever line got there first); every other
            // use of it carries probe.shared.
            foreach (var group in targets.SelectMany(t => t.Hosts).GroupBy(h => h.Name, StringComparer.Ordinal))
            {
                var uses = group.Sum(h => h.Addresses);
                var shared = group.Sum(h => h.SharedAddresses);
                Assert.True(uses > 1, $"{group.Key} is used only once");
                Assert.True(shared == uses - group.Max(h => h.Addresses), $"{group.Key}: {shared} of {uses} address uses shared");
            }

            using var run = JsonDocument.Parse(runLine!);
            var summary = run.RootElement.GetProperty("summary");
            Assert.Equal(expected.Count, summary.GetProperty("targets").GetInt32());
            var probes = summary.GetProperty("probes").GetInt32();
            var sharedProbes = summary.GetProperty("shared_probes").GetInt32();
            Assert.True(probes - sharedProbes <= SharedHostAddresses, runLine);
            Assert.Equal(targets.Sum(t => t.Hosts.Sum(h => h.SharedAddresses)), sharedProbes);
            Assert.Equal(1, code);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Hands each complete line written to it to a callback, holding at most one line.</summary>
    private sealed class LineSink(Action<string> onLine) : TextWriter
    {
        private readonly StringBuilder _current = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                var line = _current.ToString();
                _current.Clear();
                if (line.Length > 0)
                {
                    onLine(line);
                }
            }
            else
            {
                _current.Append(value);
            }
        }

        public override void Write(string? value)
        {
            foreach (var c in value ?? string.Empty)
            {
                Write(c);
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            foreach (var c in buffer.AsSpan(index, count))
            {
                Write(c);
            }
        }
    }
}
