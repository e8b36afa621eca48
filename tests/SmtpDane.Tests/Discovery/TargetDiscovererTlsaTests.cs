using System.Net;
using SmtpDane.Dane;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;
using static SmtpDane.Tests.Discovery.TargetDiscovererTests;

namespace SmtpDane.Tests.Discovery;

/// <summary>TLSA lookup outcomes (RFC 7672 §2.2): none, failed, insecure, unusable, and the CNAME fallback to the original name.</summary>
public class TargetDiscovererTlsaTests
{
    [Fact]
    public async Task DiscoverAsync_CnameWithoutTlsaAtCanonical_FallsBackToOriginalName()
    {
        var dns = new FakeDnsResolver();
        dns.Set("A", "mail.example.org", FakeDnsResolver.Answer("mail.example.org", Secure, [IPAddress.Parse("192.0.2.1")], "mx.provider.net", ["mail.example.org"]));
        dns.Aaaa("mail.example.org", Secure);
        dns.Set("TLSA", "_25._tcp.mx.provider.net", FakeDnsResolver.Outcome<TlsaRecord>("_25._tcp.mx.provider.net", DnsOutcome.NoData, Secure));
        dns.Tlsa("_25._tcp.mail.example.org", Secure, DaneEe);

        var result = await Discover(dns, Host("mail.example.org"));

        var host = Assert.Single(result.Hosts);
        Assert.Equal(TlsaLookupOutcome.Usable, host.TlsaOutcome);
        Assert.Equal("mail.example.org", host.TlsaBaseName);
        Assert.DoesNotContain(FindingCodes.MxCname, Codes(host.Findings));
        Assert.Equal(["TLSA _25._tcp.mx.provider.net", "TLSA _25._tcp.mail.example.org"], dns.Queries.Where(q => q.StartsWith("TLSA", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DiscoverAsync_CnameTlsaInsecureAtCanonical_DoesNotFallBack()
    {
        var dns = new FakeDnsResolver();
        dns.Set("A", "mail.example.org", FakeDnsResolver.Answer("mail.example.org", Secure, [IPAddress.Parse("192.0.2.1")], "mx.provider.net", ["mail.example.org"]));
        dns.Aaaa("mail.example.org", Secure);
        dns.Set("TLSA", "_25._tcp.mx.provider.net", FakeDnsResolver.Outcome<TlsaRecord>("_25._tcp.mx.provider.net", DnsOutcome.NoData, Insecure));
        dns.Tlsa("_25._tcp.mail.example.org", Secure, DaneEe);

        var result = await Discover(dns, Host("mail.example.org"));

        Assert.Equal(TlsaLookupOutcome.Insecure, result.Hosts[0].TlsaOutcome);
        Assert.Contains(FindingCodes.TlsaInsecure, Codes(result.Hosts[0].Findings));
    }

    [Fact]
    public async Task DiscoverAsync_TlsaSecureNoData_None()
    {
        var dns = new FakeDnsResolver().A("mx.example.org", Secure, "192.0.2.1").Aaaa("mx.example.org", Secure);

        var result = await Discover(dns, Host("mx.example.org"));

        Assert.Equal(TlsaLookupOutcome.None, result.Hosts[0].TlsaOutcome);
        Assert.Null(result.Hosts[0].TlsaBaseName);
        Assert.Contains(result.Hosts[0].Findings, f => f.Code == FindingCodes.TlsaNone && f.Severity == Severity.Error);
    }

    [Fact]
    public async Task DiscoverAsync_TlsaFailed_Failed()
    {
        var dns = new FakeDnsResolver().A("mx.example.org", Secure, "192.0.2.1").Aaaa("mx.example.org", Secure)
            .Set("TLSA", "_25._tcp.mx.example.org", FakeDnsResolver.Outcome<TlsaRecord>("_25._tcp.mx.example.org", DnsOutcome.Failed, DnsSecurity.Indeterminate));

        var result = await Discover(dns, Host("mx.example.org"));

        Assert.Equal(TlsaLookupOutcome.Failed, result.Hosts[0].TlsaOutcome);
        Assert.Contains(FindingCodes.TlsaLookupFailed, Codes(result.Hosts[0].Findings));
    }

    [Fact]
    public async Task DiscoverAsync_TlsaInsecure_Insecure()
    {
        var dns = new FakeDnsResolver().A("mx.example.org", Secure, "192.0.2.1").Aaaa("mx.example.org", Secure)
            .Tlsa("_25._tcp.mx.example.org", Insecure, DaneEe);

        var result = await Discover(dns, Host("mx.example.org"));

        Assert.Equal(TlsaLookupOutcome.Insecure, result.Hosts[0].TlsaOutcome);
        Assert.Empty(result.Hosts[0].UsableTlsa);
    }

    [Fact]
    public async Task DiscoverAsync_AllTlsaUnusable_AllUnusableWithReasons()
    {
        var dns = new FakeDnsResolver().A("mx.example.org", Secure, "192.0.2.1").Aaaa("mx.example.org", Secure)
            .Tlsa("_25._tcp.mx.example.org", Secure, PkixEe, ShortDigest);

        var result = await Discover(dns, Host("mx.example.org"));

        var host = result.Hosts[0];
        Assert.Equal(TlsaLookupOutcome.AllUnusable, host.TlsaOutcome);
        Assert.Empty(host.UsableTlsa);
        Assert.Equal(2, host.AllTlsa.Count);
        var unusable = host.Findings.Where(f => f.Code == FindingCodes.TlsaUnusable).ToList();
        Assert.Equal(2, unusable.Count);
        Assert.Contains("3 1 1 010203", unusable[1].Message, StringComparison.Ordinal);
        Assert.Contains(host.Findings, f => f.Code == FindingCodes.TlsaAllUnusable && f.Severity == Severity.Error);
    }

    [Fact]
    public async Task DiscoverAsync_MixedTlsa_UsableSubset()
    {
        var dns = new FakeDnsResolver().A("mx.example.org", Secure, "192.0.2.1").Aaaa("mx.example.org", Secure)
            .Tlsa("_25._tcp.mx.example.org", Secure, PkixEe, DaneEe);

        var result = await Discover(dns, Host("mx.example.org"));

        Assert.Equal(TlsaLookupOutcome.Usable, result.Hosts[0].TlsaOutcome);
        Assert.Equal([DaneEe], result.Hosts[0].UsableTlsa);
        Assert.Equal([PkixEe, DaneEe], result.Hosts[0].AllTlsa);
    }
}
