using System.Net;
using SmtpDane.Dane;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;
using static SmtpDane.Tests.Discovery.TargetDiscovererTests;

namespace SmtpDane.Tests.Discovery;

/// <summary>MX targets: ordering, duplicates, null MX, failed and insecure MX lookups, CNAMEd MX hosts.</summary>
public class TargetDiscovererMxTests
{
    [Fact]
    public async Task DiscoverAsync_Mx_OrdersByPreferenceThenNameAndSkipsDuplicates()
    {
        var dns = new FakeDnsResolver().Mx(
            "example.org",
            Secure,
            new MxRecord(20, "b.example.net"),
            new MxRecord(10, "z.example.org"),
            new MxRecord(10, "a.example.org"),
            new MxRecord(30, "z.example.org"));
        SecureHost(dns, "a.example.org", "192.0.2.1");
        SecureHost(dns, "z.example.org", "192.0.2.2");
        SecureHost(dns, "b.example.net", "192.0.2.3");

        var result = await Discover(dns, Mx("example.org"));

        Assert.Equal(["a.example.org", "z.example.org", "b.example.net"], result.Hosts.Select(h => h.Name));
        Assert.Equal([10, 10, 20], result.Hosts.Select(h => h.Preference));
        Assert.All(result.Hosts, h => Assert.Equal(25, h.Port));
        Assert.Equal([FindingCodes.MxFound, FindingCodes.MxDuplicate], Codes(result.Findings));
        Assert.Equal(Severity.Info, result.Findings[1].Severity);
        Assert.Equal(["a.example.org", "example.org"], result.Hosts[0].ReferenceNames);
    }

    [Fact]
    public async Task DiscoverAsync_MxWithArgumentPort_OverridesDefault()
    {
        var dns = new FakeDnsResolver().Mx("example.org", Secure, new MxRecord(10, "mx.example.org"));
        SecureHost(dns, "mx.example.org", "192.0.2.1", port: 2525);

        var result = await Discover(dns, Mx("example.org", 2525));

        Assert.Equal(2525, result.Hosts[0].Port);
        Assert.Equal(TlsaLookupOutcome.Usable, result.Hosts[0].TlsaOutcome);
    }

    [Fact]
    public async Task DiscoverAsync_NullMx_WarnsAndHasNoHosts()
    {
        var dns = new FakeDnsResolver().Mx("example.org", Secure, new MxRecord(0, ""));

        var result = await Discover(dns, Mx("example.org"));

        Assert.Empty(result.Hosts);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingCodes.MxNull, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Fact]
    public async Task DiscoverAsync_InsecureMx_ErrorButHostsStillChecked()
    {
        var dns = new FakeDnsResolver().Mx("example.org", Insecure, new MxRecord(10, "mx.example.org"));
        SecureHost(dns, "mx.example.org", "192.0.2.1");

        var result = await Discover(dns, Mx("example.org"));

        Assert.Contains(result.Findings, f => f.Code == FindingCodes.MxInsecure && f.Severity == Severity.Error);
        Assert.Equal(TlsaLookupOutcome.Usable, Assert.Single(result.Hosts).TlsaOutcome);
    }

    [Fact]
    public async Task DiscoverAsync_MxLookupFailed_ErrorNoHosts()
    {
        var dns = new FakeDnsResolver().Set("MX", "example.org", FakeDnsResolver.Outcome<MxRecord>("example.org", DnsOutcome.Failed, DnsSecurity.Indeterminate));

        var result = await Discover(dns, Mx("example.org"));

        Assert.Empty(result.Hosts);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingCodes.MxLookupFailed, finding.Code);
        Assert.Contains("SERVFAIL", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscoverAsync_MxNxDomain_ErrorNoHosts()
    {
        var result = await Discover(new FakeDnsResolver(), Mx("nowhere.example"));

        Assert.Empty(result.Hosts);
        Assert.Equal([FindingCodes.MxNone], Codes(result.Findings));
    }

    [Fact]
    public async Task DiscoverAsync_MxNoData_ErrorAndProbesImplicitMx()
    {
        var dns = new FakeDnsResolver().Set("MX", "example.org", FakeDnsResolver.Outcome<MxRecord>("example.org", DnsOutcome.NoData, Secure));
        SecureHost(dns, "example.org", "192.0.2.9");

        var result = await Discover(dns, Mx("example.org"));

        Assert.Equal([FindingCodes.MxNone], Codes(result.Findings));
        var host = Assert.Single(result.Hosts);
        Assert.Equal("example.org", host.Name);
        Assert.Equal(0, host.Preference);
        Assert.Equal(TlsaLookupOutcome.Usable, host.TlsaOutcome);
    }

    [Fact]
    public async Task DiscoverAsync_MxHostIsCname_InfoAndTlsaAtCanonicalName()
    {
        var dns = new FakeDnsResolver().Mx("example.org", Secure, new MxRecord(10, "mail.example.org"));
        dns.Set("A", "mail.example.org", FakeDnsResolver.Answer("mail.example.org", Secure, [IPAddress.Parse("192.0.2.1")], "mx.provider.net", ["mail.example.org"]));
        dns.Set("AAAA", "mail.example.org", FakeDnsResolver.Answer<IPAddress>("mail.example.org", Secure, [], "mx.provider.net", ["mail.example.org"]));
        dns.Tlsa("_25._tcp.mx.provider.net", Secure, DaneTa);
        dns.Tlsa("_25._tcp.mail.example.org", Secure, DaneEe);

        var result = await Discover(dns, Mx("example.org"), new ProbeSettings { AkaNames = ["Alt.Example.org"] });

        var host = Assert.Single(result.Hosts);
        var mxCname = Assert.Single(host.Findings, f => f.Code == FindingCodes.MxCname);
        Assert.Equal(Severity.Info, mxCname.Severity);
        Assert.Contains(FindingCodes.AddressCname, Codes(host.Findings));
        Assert.Equal("mx.provider.net", host.TlsaBaseName);
        Assert.Equal([DaneTa], host.UsableTlsa);
        Assert.Equal(["mx.provider.net", "mail.example.org", "example.org", "alt.example.org"], host.ReferenceNames);
    }
}
