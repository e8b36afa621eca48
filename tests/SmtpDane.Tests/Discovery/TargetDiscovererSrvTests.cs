using SmtpDane.Dane;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;
using static SmtpDane.Tests.Discovery.TargetDiscovererTests;

namespace SmtpDane.Tests.Discovery;

public class TargetDiscovererSrvTests
{
    [Fact]
    public async Task DiscoverAsync_Srv_OrdersByPriorityWeightAndUsesRecordPorts()
    {
        var dns = new FakeDnsResolver().Srv(
            "_submission._tcp.example.org",
            Secure,
            new SrvRecord(20, 0, 587, "c.example.org"),
            new SrvRecord(10, 5, 587, "b.example.org"),
            new SrvRecord(10, 50, 2587, "a.example.org"),
            new SrvRecord(30, 0, 587, "b.example.org"));
        SecureHost(dns, "a.example.org", "192.0.2.1", port: 2587);
        SecureHost(dns, "b.example.org", "192.0.2.2", port: 587);
        SecureHost(dns, "c.example.org", "192.0.2.3", port: 587);

        var result = await Discover(dns, Srv("example.org"), new ProbeSettings { Mode = TargetMode.Srv, SrvService = "submission" });

        Assert.Equal(["a.example.org", "b.example.org", "c.example.org"], result.Hosts.Select(h => h.Name));
        Assert.Equal([2587, 587, 587], result.Hosts.Select(h => h.Port));
        Assert.Equal([10, 10, 20], result.Hosts.Select(h => h.Preference));
        Assert.Equal([FindingCodes.SrvFound, FindingCodes.SrvDuplicate], Codes(result.Findings));
        Assert.All(result.Hosts, h => Assert.Equal(TlsaLookupOutcome.Usable, h.TlsaOutcome));
    }

    [Fact]
    public async Task DiscoverAsync_SrvWithArgumentPort_OverridesRecordPort()
    {
        var dns = new FakeDnsResolver().Srv(
            "_submissions._tcp.example.org",
            Secure,
            new SrvRecord(10, 0, 465, "a.example.org"),
            new SrvRecord(10, 0, 4650, "a.example.org"));
        SecureHost(dns, "a.example.org", "192.0.2.1", port: 1465);

        var result = await Discover(dns, Srv("example.org", 1465), new ProbeSettings { Mode = TargetMode.Srv, SrvService = "submissions" });

        var host = Assert.Single(result.Hosts);
        Assert.Equal(1465, host.Port);
        Assert.Contains(FindingCodes.SrvDuplicate, Codes(result.Findings));
    }

    [Fact]
    public async Task DiscoverAsync_SrvDotTarget_NoService()
    {
        var dns = new FakeDnsResolver().Srv("_submission._tcp.example.org", Secure, new SrvRecord(0, 0, 0, ""));

        var result = await Discover(dns, Srv("example.org"), new ProbeSettings { SrvService = "submission" });

        Assert.Empty(result.Hosts);
        Assert.Equal([FindingCodes.SrvNoService], Codes(result.Findings));
    }

    [Fact]
    public async Task DiscoverAsync_SrvInsecure_ErrorButHostsChecked()
    {
        var dns = new FakeDnsResolver().Srv("_submission._tcp.example.org", Insecure, new SrvRecord(0, 0, 587, "a.example.org"));
        SecureHost(dns, "a.example.org", "192.0.2.1", port: 587);

        var result = await Discover(dns, Srv("example.org"), new ProbeSettings { SrvService = "submission" });

        Assert.Contains(FindingCodes.SrvInsecure, Codes(result.Findings));
        Assert.Single(result.Hosts);
    }

    [Fact]
    public async Task DiscoverAsync_SrvNxDomainOrFailed_ErrorsNoHosts()
    {
        var none = await Discover(new FakeDnsResolver(), Srv("example.org"), new ProbeSettings { SrvService = "submission" });
        var failedDns = new FakeDnsResolver().Set(
            "SRV", "_submission._tcp.example.org", FakeDnsResolver.Outcome<SrvRecord>("_submission._tcp.example.org", DnsOutcome.Failed, DnsSecurity.Indeterminate));
        var failed = await Discover(failedDns, Srv("example.org"), new ProbeSettings { SrvService = "submission" });

        Assert.Equal([FindingCodes.SrvNone], Codes(none.Findings));
        Assert.Equal([FindingCodes.SrvLookupFailed], Codes(failed.Findings));
        Assert.Empty(none.Hosts);
        Assert.Empty(failed.Hosts);
    }
}
