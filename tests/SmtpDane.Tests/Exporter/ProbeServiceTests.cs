using System.Net;
using Microsoft.Extensions.Time.Testing;
using SmtpDane.Dns;
using SmtpDane.Exporter;
using SmtpDane.Model;
using SmtpDane.Net;
using SmtpDane.Targets;
using SmtpDane.Tests.Cli;
using SmtpDane.Tests.Discovery;

namespace SmtpDane.Tests.Exporter;

public class ProbeServiceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private sealed class CountingConnector : IConnector
    {
        public int Connects;

        public Task<Stream> ConnectAsync(IPAddress address, int port, CancellationToken ct)
        {
            Interlocked.Increment(ref Connects);
            throw new ConnectException("refused");
        }
    }

    /// <summary>Holds every connect until released, then refuses it.</summary>
    private sealed class GateConnector : IConnector
    {
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<Stream> ConnectAsync(IPAddress address, int port, CancellationToken ct)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(ct);
            throw new ConnectException("refused");
        }
    }

    private static ProbeService Service(
        IConnector connector,
        TimeSpan ttl,
        ExporterCounters? counters = null,
        TimeProvider? time = null,
        int parallel = 2,
        int waiting = 8,
        TargetAllowList? allow = null)
    {
        var dns = new FakeDnsResolver()
            .Mx("example.org", DnsSecurity.Secure, new MxRecord(10, "mx.example.org"))
            .Mx("other.example.org", DnsSecurity.Secure, new MxRecord(10, "mx.example.org"))
            .Mx("rebind.example.org", DnsSecurity.Secure, new MxRecord(10, "mx.rebind.example.org"));
        TargetDiscovererTests.SecureHost(dns, "mx.example.org", "192.0.2.25");
        TargetDiscovererTests.SecureHost(dns, "mx.rebind.example.org", "127.0.0.1");
        return new ProbeService(
            dns, connector, new ProbeSettings(), null, time ?? TimeProvider.System, counters ?? new ExporterCounters(),
            ServiceTable.FromText(CliTestHelper.Services), new ExporterLimits { ParallelProbes = parallel, MaxWaitingProbes = waiting },
            allow ?? AllowDocumentationNet(), ttl, CancellationToken.None);
    }

    /// <summary>192.0.2.0/24 (RFC 5737) is what the fake DNS hands out.</summary>
    private static TargetAllowList AllowDocumentationNet()
    {
        Assert.True(TargetAllowList.TryParse(["192.0.2.0/24"], out var allow, out _));
        return allow;
    }

    [Fact]
    public async Task ProbeAsync_Twice_SecondFromCache()
    {
        var connector = new CountingConnector();
        var counters = new ExporterCounters();
        using var service = Service(connector, TimeSpan.FromSeconds(30), counters);

        var first = await service.ProbeAsync("example.org", "mx", null, Deadline, CancellationToken.None);
        var second = await service.ProbeAsync("EXAMPLE.org", null, null, Deadline, CancellationToken.None);

        Assert.Equal(200, first.Status);
        Assert.Contains("smtpdane_probe_success{target=\"example.org\",mode=\"mx\"} 0\n", first.Body, StringComparison.Ordinal);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(1, connector.Connects);
        Assert.Contains("smtpdane_exporter_cache_hits_total 1\n", counters.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_CacheTtl_ServedUntilItPassesThenProbedAgain()
    {
        var time = new FakeTimeProvider();
        var connector = new CountingConnector();
        using var service = Service(connector, TimeSpan.FromSeconds(30), time: time);

        await service.ProbeAsync("example.org", "mx", null, Deadline, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        await service.ProbeAsync("example.org", "mx", null, Deadline, CancellationToken.None);
        Assert.Equal(1, connector.Connects);

        time.Advance(TimeSpan.FromTicks(1));
        await service.ProbeAsync("example.org", "mx", null, Deadline, CancellationToken.None);
        Assert.Equal(2, connector.Connects);
    }

    [Fact]
    public async Task ProbeAsync_ModeMtaSts_AddsMtaStsMetricsAndIsCachedApartFromMx()
    {
        var connector = new CountingConnector();
        using var service = Service(connector, TimeSpan.FromSeconds(30));

        var mx = await service.ProbeAsync("example.org", "mx", null, Deadline, CancellationToken.None);
        var sts = await service.ProbeAsync("example.org", "mta-sts", null, Deadline, CancellationToken.None);

        Assert.Equal(200, sts.Status);
        Assert.DoesNotContain("smtpdane_mta_sts_", mx.Body, StringComparison.Ordinal);
        Assert.Contains("smtpdane_mta_sts_policy_valid{target=\"example.org\",mode=\"mta-sts\"} 0\n", sts.Body, StringComparison.Ordinal);
        Assert.Equal(2, connector.Connects);
    }

    [Fact]
    public async Task ProbeAsync_NoCache_ProbesEachTime()
    {
        var connector = new CountingConnector();
        using var service = Service(connector, TimeSpan.Zero);
        await service.ProbeAsync("example.org", "mx", null, Deadline, CancellationToken.None);
        await service.ProbeAsync("example.org", "mx", null, Deadline, CancellationToken.None);
        Assert.Equal(2, connector.Connects);
    }

    [Theory]
    [InlineData(null, "mx")]
    [InlineData("example.org", "pop3")]
    [InlineData("example.org", "srv")]
    [InlineData("two words", "mx")]
    [InlineData("192.0.2.1", "mx")]
    [InlineData("example.org\n", "mx")]
    public async Task ProbeAsync_BadRequest_400(string? target, string? mode)
    {
        using var service = Service(new CountingConnector(), TimeSpan.Zero);
        var answer = await service.ProbeAsync(target, mode, null, Deadline, CancellationToken.None);
        Assert.Equal(400, answer.Status);
    }

    [Fact]
    public async Task ProbeAsync_SlotFreedAfterDeadline_503NeverANegativeTimeout()
    {
        // The HttpListener exporter computed "deadline - time waited for a slot", which went
        // negative and threw ArgumentOutOfRangeException in the TLS client: no response at all.
        var time = new FakeTimeProvider();
        var connector = new GateConnector();
        var counters = new ExporterCounters();
        using var service = Service(connector, TimeSpan.Zero, counters, time, parallel: 1);

        var first = service.ProbeAsync("example.org", "mx", null, Deadline, CancellationToken.None);
        await connector.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = service.ProbeAsync("other.example.org", "mx", null, Deadline, CancellationToken.None);
        await WaitUntil(() => counters.Render().Contains("smtpdane_exporter_probes_in_flight 1\n", StringComparison.Ordinal));
        for (var i = 0; i < 12 && !second.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        connector.Release.SetResult();
        var answer = await second.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(503, answer.Status);
        Assert.Contains("no probe slot", answer.Body, StringComparison.Ordinal);
        Assert.Equal(200, (await first.WaitAsync(TimeSpan.FromSeconds(30))).Status);
        Assert.Contains("smtpdane_exporter_rejected_total 1\n", counters.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_QueueFull_503AtOnce()
    {
        var connector = new GateConnector();
        using var service = Service(connector, TimeSpan.Zero, parallel: 1, waiting: 1);
        var running = service.ProbeAsync("example.org", "mx", null, Deadline, CancellationToken.None);
        await connector.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var waiting = service.ProbeAsync("other.example.org", "mx", null, Deadline, CancellationToken.None);

        // Only once the second check holds the one waiting place is the queue full (it enters
        // asynchronously; a third request sent earlier would take that place instead).
        Assert.True(SpinWait.SpinUntil(() => service.WaitingChecks == 1, TimeSpan.FromSeconds(30)), "the second check never queued");
        var refused = await service.ProbeAsync("example.org", "host", null, Deadline, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(503, refused.Status);
        Assert.Contains("too many checks waiting", refused.Body, StringComparison.Ordinal);
        connector.Release.SetResult();
        await Task.WhenAll(running, waiting).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("127.0.0.1:22", "host", "loopback")]
    [InlineData("169.254.169.254:80", "host", "link-local")]
    [InlineData("[fd00:ec2::254]:80", "host", "unique local")]
    [InlineData("10.1.2.3", "host", "private")]
    public async Task ProbeAsync_SpecialAddressByDefault_403(string target, string mode, string why)
    {
        var connector = new CountingConnector();
        var counters = new ExporterCounters();
        using var service = Service(connector, TimeSpan.Zero, counters, allow: TargetAllowList.PublicOnly);
        var answer = await service.ProbeAsync(target, mode, null, Deadline, CancellationToken.None);
        Assert.Equal(403, answer.Status);
        Assert.Contains(why, answer.Body, StringComparison.Ordinal);
        Assert.Equal(0, connector.Connects);
        Assert.Contains("smtpdane_exporter_denied_total 1\n", counters.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_NameResolvingToLoopback_403WithoutConnecting()
    {
        var connector = new CountingConnector();
        using var service = Service(connector, TimeSpan.Zero, allow: TargetAllowList.PublicOnly);
        var answer = await service.ProbeAsync("rebind.example.org", "mx", null, Deadline, CancellationToken.None);
        Assert.Equal(403, answer.Status);
        Assert.Contains("127.0.0.1 is a loopback address", answer.Body, StringComparison.Ordinal);
        Assert.Equal(0, connector.Connects);
    }

    [Fact]
    public async Task ProbeAsync_NameOutsideAllowedDomains_403()
    {
        Assert.True(TargetAllowList.TryParse(["example.net", "192.0.2.0/24"], out var allow, out _));
        using var service = Service(new CountingConnector(), TimeSpan.Zero, allow: allow);
        Assert.Equal(403, (await service.ProbeAsync("example.org", "mx", null, Deadline, CancellationToken.None)).Status);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
