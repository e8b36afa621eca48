using System.Net;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;
using static SmtpDane.Tests.Discovery.TargetDiscovererTests;

namespace SmtpDane.Tests.Discovery;

/// <summary>Insecure findings say where the chain of trust ends when the validator knows (<see cref="DnsAnswer{T}.InsecureAt"/>).</summary>
public class InsecureAtFindingTests
{
    private const string Ends = "not DNSSEC-validated: the chain of trust ends at the unsigned delegation \"insecure.test\", so DANE";

    [Fact]
    public async Task InsecureMx_WithInsecureAt_MessageAndDataNameTheCut()
    {
        var dns = new FakeDnsResolver().Set(
            "MX", "mail.insecure.test", FakeDnsResolver.Answer("mail.insecure.test", Insecure, [new MxRecord(10, "mx.example.org")]) with { InsecureAt = "insecure.test" });
        SecureHost(dns, "mx.example.org", "192.0.2.1");

        var result = await Discover(dns, new Target("mail.insecure.test", TargetMode.Mx, "mail.insecure.test", null));

        var finding = Assert.Single(result.Findings, f => f.Code == FindingCodes.MxInsecure);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.StartsWith($"the MX records of \"mail.insecure.test\" are {Ends} cannot apply", finding.Message, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string> { ["insecure_at"] = "insecure.test" }, finding.Data);
    }

    [Fact]
    public async Task InsecureSrv_WithInsecureAt_MessageAndDataNameTheCut()
    {
        const string owner = "_submission._tcp.insecure.test";
        var dns = new FakeDnsResolver().Set(
            "SRV", owner, FakeDnsResolver.Answer(owner, Insecure, [new SrvRecord(0, 0, 587, "mx.example.org")]) with { InsecureAt = "insecure.test" });
        SecureHost(dns, "mx.example.org", "192.0.2.1", port: 587);

        var result = await Discover(dns, Srv("insecure.test"), new ProbeSettings { Mode = TargetMode.Srv, SrvService = "submission" });

        var finding = Assert.Single(result.Findings, f => f.Code == FindingCodes.SrvInsecure);
        Assert.Contains(Ends, finding.Message, StringComparison.Ordinal);
        Assert.Equal("insecure.test", finding.Data!["insecure_at"]);
    }

    [Fact]
    public async Task InsecureAddresses_WithInsecureAt_MessageAndDataNameTheCut()
    {
        var dns = new FakeDnsResolver()
            .Set("A", "mx.insecure.test", FakeDnsResolver.Answer("mx.insecure.test", Insecure, [IPAddress.Parse("192.0.2.1")]) with { InsecureAt = "insecure.test" })
            .Set("AAAA", "mx.insecure.test", FakeDnsResolver.Answer("mx.insecure.test", Insecure, Array.Empty<IPAddress>()) with { InsecureAt = "insecure.test" });

        var result = await Discover(dns, new Target("mx.insecure.test", TargetMode.Host, "mx.insecure.test", null));

        var finding = Assert.Single(Assert.Single(result.Hosts).Findings, f => f.Code == FindingCodes.AddressInsecure);
        Assert.StartsWith($"the address records of \"mx.insecure.test\" are {Ends} does not apply", finding.Message, StringComparison.Ordinal);
        Assert.Equal("insecure.test", finding.Data!["insecure_at"]);
    }

    [Fact]
    public async Task InsecureTlsa_WithInsecureAt_MessageAndDataNameTheCut()
    {
        var dns = new FakeDnsResolver().A("mx.example.org", Secure, "192.0.2.1").Aaaa("mx.example.org", Secure)
            .Set("TLSA", "_25._tcp.mx.example.org", FakeDnsResolver.Answer("_25._tcp.mx.example.org", Insecure, [DaneEe]) with { InsecureAt = "insecure.test" });

        var result = await Discover(dns, new Target("mx.example.org", TargetMode.Host, "mx.example.org", null));

        var finding = Assert.Single(Assert.Single(result.Hosts).Findings, f => f.Code == FindingCodes.TlsaInsecure);
        Assert.StartsWith($"the TLSA answer for \"_25._tcp.mx.example.org\" (1 records) is {Ends} does not apply", finding.Message, StringComparison.Ordinal);
        Assert.Equal("insecure.test", finding.Data!["insecure_at"]);
    }

    [Fact]
    public async Task InsecureMx_WithoutInsecureAt_NoCutNoData()
    {
        var dns = new FakeDnsResolver().Mx("example.org", Insecure, new MxRecord(10, "mx.example.org"));
        SecureHost(dns, "mx.example.org", "192.0.2.1");

        var result = await Discover(dns, new Target("example.org", TargetMode.Mx, "example.org", null));

        var finding = Assert.Single(result.Findings, f => f.Code == FindingCodes.MxInsecure);
        Assert.StartsWith("the MX records of \"example.org\" are not DNSSEC-validated, so DANE cannot apply", finding.Message, StringComparison.Ordinal);
        Assert.Null(finding.Data);
    }

    [Fact]
    public async Task SecureAnswerWithStrayInsecureAt_NoInsecureFinding()
    {
        var dns = new FakeDnsResolver().Set(
            "MX", "example.org", FakeDnsResolver.Answer("example.org", Secure, [new MxRecord(10, "mx.example.org")]) with { InsecureAt = "org" });
        SecureHost(dns, "mx.example.org", "192.0.2.1");

        var result = await Discover(dns, new Target("example.org", TargetMode.Mx, "example.org", null));

        Assert.DoesNotContain(result.Findings, f => f.Code == FindingCodes.MxInsecure || f.Message.Contains("chain of trust", StringComparison.Ordinal));
    }
}
