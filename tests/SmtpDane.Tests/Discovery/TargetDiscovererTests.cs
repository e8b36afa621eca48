using System.Net;
using SmtpDane.Dane;
using SmtpDane.Discovery;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Tests.Discovery;

public class TargetDiscovererTests
{
    internal const DnsSecurity Secure = DnsSecurity.Secure;
    internal const DnsSecurity Insecure = DnsSecurity.Insecure;

    internal static readonly TlsaRecord DaneEe = new(3, 1, 1, Enumerable.Repeat((byte)0xab, 32).ToArray());
    internal static readonly TlsaRecord DaneTa = new(2, 0, 1, Enumerable.Repeat((byte)0xcd, 32).ToArray());
    internal static readonly TlsaRecord PkixEe = new(1, 1, 1, Enumerable.Repeat((byte)0x01, 32).ToArray());
    internal static readonly TlsaRecord ShortDigest = new(3, 1, 1, [1, 2, 3]);

    internal static FakeDnsResolver SecureHost(FakeDnsResolver dns, string name, string v4, string? v6 = null, int port = 25)
    {
        dns.A(name, Secure, v4);
        if (v6 is not null)
        {
            dns.Aaaa(name, Secure, v6);
        }
        else
        {
            dns.Aaaa(name, Secure);
        }

        return dns.Tlsa($"_{port}._tcp.{name}", Secure, DaneEe);
    }

    internal static Task<DiscoveredTarget> Discover(FakeDnsResolver dns, Target target, ProbeSettings? settings = null) =>
        new TargetDiscoverer(dns, settings ?? new ProbeSettings()).DiscoverAsync(target, CancellationToken.None);

    internal static Target Mx(string domain, int? port = null) => new(domain, TargetMode.Mx, domain, port);

    internal static Target Host(string name, int? port = null) => new(name, TargetMode.Host, name, port);

    internal static Target Srv(string domain, int? port = null) => new(domain, TargetMode.Srv, domain, port);

    internal static string[] Codes(IEnumerable<Finding> findings) => findings.Select(f => f.Code).ToArray();

    [Fact]
    public async Task DiscoverAsync_SecureHostWithTlsa_IsUsable()
    {
        var dns = SecureHost(new FakeDnsResolver(), "mx.example.org", "192.0.2.1", "2001:db8::1");

        var result = await Discover(dns, Host("mx.example.org"));

        var host = Assert.Single(result.Hosts);
        Assert.Equal("mx.example.org", host.Name);
        Assert.Equal(25, host.Port);
        Assert.Null(host.Preference);
        Assert.Equal(TlsaLookupOutcome.Usable, host.TlsaOutcome);
        Assert.Equal("mx.example.org", host.TlsaBaseName);
        Assert.Equal([DaneEe], host.UsableTlsa);
        Assert.Equal([IPAddress.Parse("2001:db8::1"), IPAddress.Parse("192.0.2.1")], host.Addresses);
        Assert.Contains(FindingCodes.TlsaFound, Codes(host.Findings));
        Assert.DoesNotContain(host.Findings, f => f.Severity >= Severity.Warning);
        Assert.Equal(["mx.example.org"], host.ReferenceNames);
    }

    [Fact]
    public async Task DiscoverAsync_HostPortAndDefaultPort_AreUsed()
    {
        var dns = SecureHost(new FakeDnsResolver(), "mx.example.org", "192.0.2.1", port: 26);
        SecureHost(dns, "mx.example.org", "192.0.2.1", port: 587);

        var byDefault = await Discover(dns, Host("mx.example.org"), new ProbeSettings { DefaultPort = 26 });
        var byArgument = await Discover(dns, Host("mx.example.org", 587), new ProbeSettings { DefaultPort = 26 });

        Assert.Equal(26, byDefault.Hosts[0].Port);
        Assert.Equal(TlsaLookupOutcome.Usable, byDefault.Hosts[0].TlsaOutcome);
        Assert.Equal(587, byArgument.Hosts[0].Port);
        Assert.Contains("TLSA _587._tcp.mx.example.org", dns.Queries);
    }

    [Fact]
    public async Task DiscoverAsync_IpLiteral_NoDnsAndTlsaNone()
    {
        var dns = new FakeDnsResolver();

        var result = await Discover(dns, Host("2001:db8::25", 2525), new ProbeSettings { AkaNames = ["MX.Example.org."] });

        var host = Assert.Single(result.Hosts);
        Assert.Empty(dns.Queries);
        Assert.Equal([IPAddress.Parse("2001:db8::25")], host.Addresses);
        Assert.Equal(2525, host.Port);
        Assert.Equal(TlsaLookupOutcome.None, host.TlsaOutcome);
        Assert.Equal(FindingCodes.TlsaNone, Assert.Single(host.Findings).Code);
        Assert.Equal(Severity.Error, host.Findings[0].Severity);
        Assert.Equal(["mx.example.org"], host.ReferenceNames);
    }

    [Fact]
    public async Task DiscoverAsync_InsecureAddressChain_DaneDoesNotApplyButAddressesKept()
    {
        var dns = new FakeDnsResolver();
        dns.Set("A", "mail.example.org", FakeDnsResolver.Answer("mail.example.org", Insecure, [IPAddress.Parse("192.0.2.1")], "mx.provider.net", ["mail.example.org"]));
        dns.Aaaa("mail.example.org", Secure);
        dns.Tlsa("_25._tcp.mail.example.org", Secure, DaneEe);

        var result = await Discover(dns, Host("mail.example.org"));

        var host = result.Hosts[0];
        Assert.Equal(TlsaLookupOutcome.Insecure, host.TlsaOutcome);
        Assert.Equal([IPAddress.Parse("192.0.2.1")], host.Addresses);
        Assert.Contains(host.Findings, f => f.Code == FindingCodes.AddressInsecure && f.Severity == Severity.Error);
        Assert.DoesNotContain(dns.Queries, q => q.StartsWith("TLSA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DiscoverAsync_NoAddresses_AddressNone()
    {
        var dns = new FakeDnsResolver().A("mx.example.org", Secure).Aaaa("mx.example.org", Secure);

        var result = await Discover(dns, Host("mx.example.org"));

        var host = result.Hosts[0];
        Assert.Empty(host.Addresses);
        Assert.Contains(host.Findings, f => f.Code == FindingCodes.AddressNone && f.Severity == Severity.Error);
    }

    [Fact]
    public async Task DiscoverAsync_AddressLookupsFailed_TlsaFailedWithoutQuery()
    {
        var dns = new FakeDnsResolver()
            .Set("A", "mx.example.org", FakeDnsResolver.Outcome<IPAddress>("mx.example.org", DnsOutcome.Failed, DnsSecurity.Indeterminate))
            .Set("AAAA", "mx.example.org", FakeDnsResolver.Outcome<IPAddress>("mx.example.org", DnsOutcome.Failed, DnsSecurity.Indeterminate));

        var result = await Discover(dns, Host("mx.example.org"));

        var host = result.Hosts[0];
        Assert.Equal(TlsaLookupOutcome.Failed, host.TlsaOutcome);
        Assert.Equal([FindingCodes.AddressLookupFailed, FindingCodes.AddressLookupFailed], Codes(host.Findings));
    }

    [Theory]
    [InlineData(true, false, "192.0.2.1")]
    [InlineData(false, true, "2001:db8::1")]
    public async Task DiscoverAsync_FamilySwitches_QueryOnlyThatFamily(bool ipv4, bool ipv6, string expected)
    {
        var dns = SecureHost(new FakeDnsResolver(), "mx.example.org", "192.0.2.1", "2001:db8::1");

        var result = await Discover(dns, Host("mx.example.org"), new ProbeSettings { Ipv4 = ipv4, Ipv6 = ipv6 });

        Assert.Equal([IPAddress.Parse(expected)], result.Hosts[0].Addresses);
        Assert.Equal(ipv4, dns.Queries.Contains("A mx.example.org"));
        Assert.Equal(ipv6, dns.Queries.Contains("AAAA mx.example.org"));
    }

    [Fact]
    public async Task DiscoverAsync_Addresses_SortedV6ThenV4AndDeduplicated()
    {
        var dns = new FakeDnsResolver()
            .A("mx.example.org", Secure, "192.0.2.10", "192.0.2.9", "192.0.2.10")
            .Aaaa("mx.example.org", Secure, "2001:db8::2", "2001:db8::1")
            .Tlsa("_25._tcp.mx.example.org", Secure, DaneEe);

        var result = await Discover(dns, Host("mx.example.org"));

        Assert.Equal(
            new[] { "2001:db8::1", "2001:db8::2", "192.0.2.9", "192.0.2.10" }.Select(IPAddress.Parse),
            result.Hosts[0].Addresses);
    }

    [Fact]
    public async Task DiscoverAsync_ResolverThrows_BecomesFailedFinding()
    {
        var result = await new TargetDiscoverer(new ThrowingResolver(), new ProbeSettings())
            .DiscoverAsync(Mx("example.org"), CancellationToken.None);

        Assert.Equal([FindingCodes.MxLookupFailed], Codes(result.Findings));
    }

    [Fact]
    public async Task DiscoverAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new TargetDiscoverer(new ThrowingResolver(), new ProbeSettings()).DiscoverAsync(Mx("example.org"), cts.Token));
    }

    private sealed class ThrowingResolver : IDnsResolver
    {
        public Task<DnsAnswer<MxRecord>> QueryMxAsync(string domain, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            throw new InvalidOperationException("boom");
        }

        public Task<DnsAnswer<SrvRecord>> QuerySrvAsync(string name, CancellationToken ct) => throw new InvalidOperationException("boom");

        public Task<DnsAnswer<IPAddress>> QueryAddressesAsync(string host, System.Net.Sockets.AddressFamily family, CancellationToken ct) => throw new InvalidOperationException("boom");

        public Task<DnsAnswer<TlsaRecord>> QueryTlsaAsync(string name, CancellationToken ct) => throw new InvalidOperationException("boom");

        public Task<DnsAnswer<string>> QueryTxtAsync(string name, CancellationToken ct) => throw new InvalidOperationException("boom");
    }
}
