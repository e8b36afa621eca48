using System.Net;
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
    private sealed class CountingConnector : IConnector
    {
        public int Connects;

        public Task<Stream> ConnectAsync(IPAddress address, int port, CancellationToken ct)
        {
            Interlocked.Increment(ref Connects);
            throw new ConnectException("refused");
        }
    }

    private static ProbeService Service(IConnector connector, TimeSpan ttl, ExporterCounters? counters = null)
    {
        var dns = new FakeDnsResolver()
            .Mx("example.org", DnsSecurity.Secure, new MxRecord(10, "mx.example.org"));
        TargetDiscovererTests.SecureHost(dns, "mx.example.org", "192.0.2.25");
        return new ProbeService(
            dns, connector, new ProbeSettings(), null, TimeProvider.System, counters ?? new ExporterCounters(),
            ServiceTable.FromText(CliTestHelper.Services), 2, ttl, CancellationToken.None);
    }

    [Fact]
    public async Task ProbeAsync_Twice_SecondFromCache()
    {
        var connector = new CountingConnector();
        var counters = new ExporterCounters();
        using var service = Service(connector, TimeSpan.FromSeconds(30), counters);

        var first = await service.ProbeAsync("example.org", "mx", null, null, CancellationToken.None);
        var second = await service.ProbeAsync("EXAMPLE.org", null, null, null, CancellationToken.None);

        Assert.Equal(200, first.Status);
        Assert.Contains("smtpdane_probe_success{target=\"example.org\",mode=\"mx\"} 0\n", first.Body, StringComparison.Ordinal);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(1, connector.Connects);
        Assert.Contains("smtpdane_exporter_cache_hits_total 1\n", counters.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_ModeMtaSts_AddsMtaStsMetricsAndIsCachedApartFromMx()
    {
        var connector = new CountingConnector();
        using var service = Service(connector, TimeSpan.FromSeconds(30));

        var mx = await service.ProbeAsync("example.org", "mx", null, null, CancellationToken.None);
        var sts = await service.ProbeAsync("example.org", "mta-sts", null, null, CancellationToken.None);

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
        await service.ProbeAsync("example.org", "mx", null, null, CancellationToken.None);
        await service.ProbeAsync("example.org", "mx", null, null, CancellationToken.None);
        Assert.Equal(2, connector.Connects);
    }

    [Theory]
    [InlineData(null, "mx")]
    [InlineData("example.org", "pop3")]
    [InlineData("example.org", "srv")]
    [InlineData("two words", "mx")]
    [InlineData("192.0.2.1", "mx")]
    public async Task ProbeAsync_BadRequest_400(string? target, string? mode)
    {
        using var service = Service(new CountingConnector(), TimeSpan.Zero);
        var answer = await service.ProbeAsync(target, mode, null, null, CancellationToken.None);
        Assert.Equal(400, answer.Status);
    }
}
