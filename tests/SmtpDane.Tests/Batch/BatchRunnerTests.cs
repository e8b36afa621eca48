using System.Net;
using System.Net.Sockets;
using SmtpDane.Batch;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.Net;
using SmtpDane.Targets;
using SmtpDane.Tests.Cli;
using SmtpDane.Tests.Discovery;

namespace SmtpDane.Tests.Batch;

public class BatchRunnerTests
{
    private static readonly TlsaRecord Ee = new(3, 1, 1, Enumerable.Repeat((byte)0xab, 32).ToArray());

    /// <summary>Counts connects and refuses them all: a probe then ends at once with connect.failed.</summary>
    private sealed class CountingConnector : IConnector
    {
        private int _connects;

        public int Connects => Volatile.Read(ref _connects);

        public async Task<Stream> ConnectAsync(IPAddress address, int port, CancellationToken ct)
        {
            Interlocked.Increment(ref _connects);
            await Task.Delay(5, ct);
            throw new ConnectException($"connection to {address}:{port} refused");
        }
    }

    private static FakeDnsResolver SharedMx(params string[] domains)
    {
        var dns = new FakeDnsResolver();
        foreach (var d in domains)
        {
            dns.Mx(d, DnsSecurity.Secure, new MxRecord(10, "mx.shared.example"));
        }

        dns.A("mx.shared.example", DnsSecurity.Secure, "192.0.2.25");
        dns.Aaaa("mx.shared.example", DnsSecurity.Secure);
        dns.Tlsa("_25._tcp.mx.shared.example", DnsSecurity.Secure, Ee);
        return dns;
    }

    internal static async IAsyncEnumerable<BatchTarget> Lines(TargetMode mode, string[] lines)
    {
        var parser = new TargetFileParser(new ProbeSettings { Mode = mode }, ServiceTable.FromText(CliTestHelper.Services));
        for (var i = 0; i < lines.Length; i++)
        {
            await Task.Yield();
            if (parser.Parse(lines[i], i + 1) is { } t)
            {
                yield return t;
            }
        }
    }

    private static async Task<List<(BatchTarget Line, TargetResult Result)>> Run(IDnsResolver dns, IConnector connector, int parallel, params string[] lines)
    {
        var results = new List<(BatchTarget, TargetResult)>();
        using var runner = new BatchRunner(dns, connector, new ProbeSettings { Mode = TargetMode.Mx }, null, TimeProvider.System, parallel);
        await runner.RunAsync(
            Lines(TargetMode.Mx, lines),
            (line, result, _) =>
            {
                results.Add((line, result));
                return ValueTask.CompletedTask;
            },
            CancellationToken.None);
        return results;
    }

    [Fact]
    public async Task RunAsync_TwoDomainsShareMxHost_OneProbeAndSharedFinding()
    {
        var connector = new CountingConnector();
        var results = await Run(SharedMx("a.example", "b.example"), connector, 4, "a.example", "b.example");

        Assert.Equal(1, connector.Connects);
        Assert.Equal(2, results.Count);
        var first = results[0].Result.Hosts.Single().Addresses.Single();
        var second = results[1].Result.Hosts.Single().Addresses.Single();
        Assert.DoesNotContain(first.Findings, f => f.Code == FindingCodes.ProbeShared);
        var shared = Assert.Single(second.Findings, f => f.Code == FindingCodes.ProbeShared);
        Assert.Equal("1", shared.Data!["first_line"]);
        Assert.Contains(second.Findings, f => f.Code == FindingCodes.ConnectFailed);
    }

    [Fact]
    public async Task RunAsync_LaterLineDiscoveredFirst_FirstLineStillOwnsTheProbe()
    {
        // Line 1's MX answer is held back until line 2's probe has finished: ownership must
        // follow input order, not completion order (deterministic output).
        var connector = new CountingConnector();
        var dns = new HoldMx(SharedMx("a.example", "b.example"), "a.example", connector);
        var results = await Run(dns, connector, 4, "a.example", "b.example");

        Assert.Equal(1, connector.Connects);
        var first = results[0].Result.Hosts.Single().Addresses.Single();
        var second = results[1].Result.Hosts.Single().Addresses.Single();
        Assert.DoesNotContain(first.Findings, f => f.Code == FindingCodes.ProbeShared);
        var shared = Assert.Single(second.Findings, f => f.Code == FindingCodes.ProbeShared);
        Assert.Equal("1", shared.Data!["first_line"]);
    }

    /// <summary>Answers MX for <paramref name="held"/> only after the connector has been used once.</summary>
    private sealed class HoldMx(FakeDnsResolver inner, string held, CountingConnector connector) : IDnsResolver
    {
        public async Task<DnsAnswer<MxRecord>> QueryMxAsync(string domain, CancellationToken ct)
        {
            if (domain == held)
            {
                for (var i = 0; i < 500 && connector.Connects == 0; i++)
                {
                    await Task.Delay(10, ct);
                }
            }

            return await inner.QueryMxAsync(domain, ct);
        }

        public Task<DnsAnswer<SrvRecord>> QuerySrvAsync(string name, CancellationToken ct) => inner.QuerySrvAsync(name, ct);

        public Task<DnsAnswer<IPAddress>> QueryAddressesAsync(string host, AddressFamily family, CancellationToken ct) => inner.QueryAddressesAsync(host, family, ct);

        public Task<DnsAnswer<TlsaRecord>> QueryTlsaAsync(string name, CancellationToken ct) => inner.QueryTlsaAsync(name, ct);

        public Task<DnsAnswer<string>> QueryTxtAsync(string name, CancellationToken ct) => inner.QueryTxtAsync(name, ct);
    }

    [Fact]
    public async Task RunAsync_ManyLines_ResultsInInputOrderAndDnsAskedOnce()
    {
        var domains = Enumerable.Range(0, 50).Select(i => $"d{i}.example").ToArray();
        var fake = SharedMx(domains);
        using var dns = new CachingDnsResolver(fake, 3, 1000, TimeSpan.FromSeconds(10), CancellationToken.None);
        var connector = new CountingConnector();
        var lines = domains.Concat(domains).ToArray();
        var results = await Run(dns, connector, 2, lines);

        Assert.Equal(lines, results.Select(r => r.Result.Target.Name));
        Assert.Equal(1, connector.Connects);
        Assert.Single(fake.Queries, q => q == "A mx.shared.example");
        Assert.Single(fake.Queries, q => q == "TLSA _25._tcp.mx.shared.example");
        Assert.Single(fake.Queries, q => q == "MX d7.example");
    }

    [Fact]
    public async Task RunAsync_BadLine_ReportedInPlace()
    {
        var results = await Run(SharedMx("a.example"), new CountingConnector(), 1, "a.example", "mx two words", "# comment");

        Assert.Equal(2, results.Count);
        Assert.Equal(FindingCodes.BatchInvalidLine, Assert.Single(results[1].Result.Findings).Code);
        Assert.Empty(results[1].Result.Hosts);
    }

    [Fact]
    public async Task RunAsync_DifferentTlsa_NotShared()
    {
        var fake = SharedMx("a.example");
        fake.Mx("b.example", DnsSecurity.Secure, new MxRecord(10, "mx2.example"));
        fake.A("mx2.example", DnsSecurity.Secure, "192.0.2.25");
        fake.Aaaa("mx2.example", DnsSecurity.Secure);
        fake.Tlsa("_25._tcp.mx2.example", DnsSecurity.Secure, Ee);
        var connector = new CountingConnector();

        await Run(fake, connector, 4, "a.example", "b.example");

        // Same address, different host name (SNI, TLSA base): two probes.
        Assert.Equal(2, connector.Connects);
    }

    [Fact]
    public async Task RunAsync_ProbeConcurrency_Bounded()
    {
        var fake = new FakeDnsResolver();
        var lines = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            fake.Mx($"d{i}.example", DnsSecurity.Secure, new MxRecord(10, $"mx{i}.example"));
            fake.A($"mx{i}.example", DnsSecurity.Secure, $"192.0.2.{i + 1}");
            fake.Aaaa($"mx{i}.example", DnsSecurity.Secure);
            fake.Tlsa($"_25._tcp.mx{i}.example", DnsSecurity.Secure, Ee);
            lines.Add($"d{i}.example");
        }

        var connector = new GateConnector(parallel: 3);
        await Run(fake, connector, 3, [.. lines]);

        Assert.Equal(20, connector.Total);
        Assert.True(connector.ReachedParallel, "never were 3 probes in flight at once: parallelism was lost");
        Assert.Equal(3, connector.MaxConcurrent);
    }

    /// <summary>
    /// Holds every connect until <c>parallel</c> are in flight at once, then lets all through. A
    /// runner that lost its parallelism never reaches that; a safety timeout (reached only by such a
    /// failing run) then opens the gate so the test ends. One that exceeds the bound shows in
    /// <see cref="MaxConcurrent"/>.
    /// </summary>
    private sealed class GateConnector(int parallel) : IConnector
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _current;
        private int _max;
        private int _total;
        private int _reached;

        public int MaxConcurrent => Volatile.Read(ref _max);

        public int Total => Volatile.Read(ref _total);

        public bool ReachedParallel => Volatile.Read(ref _reached) == 1;

        public async Task<Stream> ConnectAsync(IPAddress address, int port, CancellationToken ct)
        {
            Interlocked.Increment(ref _total);
            var now = Interlocked.Increment(ref _current);
            int seen;
            while ((seen = Volatile.Read(ref _max)) < now && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }

            try
            {
                if (now >= parallel)
                {
                    Volatile.Write(ref _reached, 1);
                    _gate.TrySetResult();
                }

                try
                {
                    await _gate.Task.WaitAsync(TimeSpan.FromSeconds(5), ct);
                }
                catch (TimeoutException)
                {
                    _gate.TrySetResult();
                }

                await Task.Yield();
                throw new ConnectException("refused");
            }
            finally
            {
                Interlocked.Decrement(ref _current);
            }
        }
    }
}
