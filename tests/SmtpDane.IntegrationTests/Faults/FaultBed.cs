using System.Diagnostics;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;
using SmtpDane.Targets;
using SmtpDane.Tests.Dns;


namespace SmtpDane.IntegrationTests.Faults;

/// <summary>One run of the whole program against a fault, with its wall time.</summary>
public sealed record FaultRun(string Fault, ToolRun Run, TimeSpan Elapsed, TimeSpan Deadline)
{
    public JsonElement Json => JsonDocument.Parse(Run.Stdout).RootElement;

    public string Status => Json.GetProperty("status").GetString()!;

    public HashSet<string> Codes => ToolRun.FindingCodes(Json);

    /// <summary>Per address: "address" → status word.</summary>
    public Dictionary<string, string> AddressStatuses()
    {
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in Json.GetProperty("targets").EnumerateArray())
        {
            foreach (var host in target.GetProperty("hosts").EnumerateArray())
            {
                foreach (var address in host.GetProperty("addresses").EnumerateArray())
                {
                    statuses[address.GetProperty("address").GetString()!] = address.GetProperty("status").GetString()!;
                }
            }
        }

        return statuses;
    }
}

/// <summary>
/// Runs the real program (<see cref="ToolRun"/>) against hostile loopback servers, with a fault DNS
/// server as DNS_RESOLVER that answers securely (AD) for <see cref="Host"/>: A → the given loopback
/// addresses, AAAA → none, TLSA → 3 1 1 of <see cref="FaultScripts.Certificate"/>. Checks the
/// invariants every fault must keep, and when FAULTS_REPORT names a file, appends a report line.
/// </summary>
public static class FaultBed
{
    public const string Host = "mx.fault.test";

    /// <summary>Generous slack over a deadline: the invariant is "bounded", not "fast".</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    private static readonly Lock ReportLock = new();

    /// <summary>Small default deadlines; later flags in <c>extraFlags</c> override them.</summary>
    public static readonly string[] DefaultFlags = ["-timeout", "10s", "-step-timeout", "2s", "-connect-timeout", "2s", "-nocertnames"];

    public static FakeReply? SecureAnswers(FakeQuery q, params string[] addresses) => q.Type switch
    {
        RecordType.A when q.Name == Host =>
            FakeDnsServer.Reply(ReturnCode.NoError, true, [.. (addresses.Length == 0 ? ["127.0.0.1"] : addresses).Select(a => FakeRr.A(Host, a))]),
        RecordType.Tlsa when q.Name.EndsWith("._tcp." + Host, StringComparison.Ordinal) =>
            FakeDnsServer.Reply(ReturnCode.NoError, true, FakeRr.Tlsa(q.Name, 3, 1, 1, FaultScripts.SpkiSha256)),
        _ when q.Name == Host => FakeDnsServer.Reply(ReturnCode.NoError, true),
        _ => FakeDnsServer.Reply(ReturnCode.NxDomain, true),
    };

    /// <summary>Probes <see cref="Host"/>:<paramref name="port"/> with <c>-json</c> and the default deadlines.</summary>
    public static async Task<FaultRun> RunAsync(
        string fault,
        int port,
        string[]? extraFlags = null,
        string[]? addresses = null,
        Func<FakeQuery, FakeReply?>? dns = null,
        string output = "-json")
    {
        await using var server = new FakeDnsServer(dns ?? (q => SecureAnswers(q, addresses ?? [])));
        return await RunWithResolverAsync(fault, server.EndPoint.ToString(), [.. DefaultFlags, .. extraFlags ?? [], output, $"{Host}:{port}"]);
    }

    /// <summary>Runs the program with <paramref name="args"/> and DNS_RESOLVER=<paramref name="resolvers"/>.</summary>
    public static async Task<FaultRun> RunWithResolverAsync(string fault, string resolvers, string[] args)
    {
        var deadline = DeadlineOf(args);
        var watch = Stopwatch.StartNew();
        var run = await ToolRun.RunAsync(args, new Dictionary<string, string?> { ["DNS_RESOLVER"] = resolvers });
        watch.Stop();
        var result = new FaultRun(fault, run, watch.Elapsed, deadline);
        CheckInvariants(result);
        Report(result);
        return result;
    }

    /// <summary>No crash or stack trace; finished within the deadline plus margin.</summary>
    public static void CheckInvariants(FaultRun r)
    {
        Assert.DoesNotContain("   at ", r.Run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", r.Run.Stderr, StringComparison.Ordinal);
        Assert.True(
            r.Elapsed < r.Deadline + Margin,
            $"{r.Fault}: took {r.Elapsed.TotalSeconds:0.0}s, deadline {r.Deadline.TotalSeconds:0.0}s");
    }

    /// <summary>The usual fault verdict: exit 1, status error, the expected code present, no "ok" address.</summary>
    public static void AssertFails(FaultRun r, string code)
    {
        Assert.True(r.Run.ExitCode == 1, $"{r.Fault}: exit code {r.Run.ExitCode}\n{r.Run.Stdout}\n{r.Run.Stderr}");
        Assert.Equal("error", r.Status);
        Assert.True(r.Codes.Contains(code), $"{r.Fault}: expected {code}, got {string.Join(", ", r.Codes.Order())}\n{r.Run.Stdout}");
        Assert.DoesNotContain("ok", r.AddressStatuses().Values);
    }

    private static TimeSpan DeadlineOf(string[] args)
    {
        var deadline = TimeSpan.FromMinutes(1);
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] is "-timeout" or "--timeout" && GoDuration.TryParse(args[i + 1], out var d, out _) && d > TimeSpan.Zero)
            {
                deadline = d;
            }
        }

        return deadline;
    }

    private static void Report(FaultRun r)
    {
        var path = Environment.GetEnvironmentVariable("FAULTS_REPORT");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        string verdict;
        string codes;
        try
        {
            verdict = r.Status;
            codes = string.Join(",", r.Codes.Where(c => c is not ("smtp.banner" or "address.found" or "tlsa.found")).Order());
        }
        catch (JsonException)
        {
            verdict = "-";
            codes = r.Run.Stdout.Split('\n')[0];
        }

        var line = $"{r.Fault}\t{r.Run.ExitCode}\t{verdict}\t{r.Elapsed.TotalSeconds:0.00}\t{r.Deadline.TotalSeconds:0.#}\t{codes}\n";
        lock (ReportLock)
        {
            File.AppendAllText(path, line);
        }
    }
}
