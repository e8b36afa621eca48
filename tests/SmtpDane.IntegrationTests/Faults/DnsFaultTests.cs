using ARSoft.Tools.Net.Dns;
using SmtpDane.Findings;

using SmtpDane.Tests.Dns;

using SmtpDane.Tests.Net;

namespace SmtpDane.IntegrationTests.Faults;

/// <summary>Resolver faults through DNS_RESOLVER: the run fails closed, or recovers when it may.</summary>
public class DnsFaultTests
{
    [Theory]
    [InlineData(ReturnCode.ServerFailure)]
    [InlineData(ReturnCode.Refused)]
    public async Task ResolverError_AddressLookupFailed(ReturnCode rcode)
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp());

        var r = await FaultBed.RunAsync($"DNS {rcode}", server.Port, dns: _ => FakeDnsServer.Reply(rcode, false));

        FaultBed.AssertFails(r, FindingCodes.AddressLookupFailed);
    }

    [Fact]
    public async Task TlsaServfail_TlsaLookupFailed()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp());

        var r = await FaultBed.RunAsync("DNS SERVFAIL for TLSA only", server.Port, dns: q =>
            q.Type == RecordType.Tlsa ? FakeDnsServer.Reply(ReturnCode.ServerFailure, false) : FaultBed.SecureAnswers(q));

        FaultBed.AssertFails(r, FindingCodes.TlsaLookupFailed);
    }

    [Fact]
    public async Task AllResolversSilent_FailsWithinDeadline()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp());

        var r = await FaultBed.RunAsync("DNS resolver silent", server.Port, ["-timeout", "4s"], dns: _ => null);

        Assert.Equal(1, r.Run.ExitCode);
        Assert.Equal("error", r.Status);
        Assert.True(
            r.Codes.Contains(FindingCodes.RunTimeout) || r.Codes.Contains(FindingCodes.AddressLookupFailed),
            string.Join(", ", r.Codes));
    }

    [Fact]
    public async Task FirstOfTwoResolversSilent_SecondAnswers_Verifies()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp());
        await using var silent = new FakeDnsServer(_ => null);
        await using var good = new FakeDnsServer(q => FaultBed.SecureAnswers(q));

        var r = await FaultBed.RunWithResolverAsync(
            "DNS timeout on first of two resolvers",
            $"{silent.EndPoint},{good.EndPoint}",
            [.. FaultBed.DefaultFlags, "-timeout", "45s", "-json", $"{FaultBed.Host}:{server.Port}"]);

        Assert.True(r.Run.ExitCode == 0, r.Run.Stdout);
        Assert.Equal("ok", r.Status);
        Assert.NotEmpty(silent.Queries);
    }

    [Fact]
    public async Task TruncatedUdp_RetriesOverTcp_Verifies()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp());
        await using var dns = new FakeDnsServer(q =>
        {
            var answer = FaultBed.SecureAnswers(q);
            return q.Tcp || answer is null ? answer : answer with { Truncated = true };
        });

        var r = await FaultBed.RunWithResolverAsync(
            "DNS truncated UDP (TCP retry)", dns.EndPoint.ToString(), [.. FaultBed.DefaultFlags, "-json", $"{FaultBed.Host}:{server.Port}"]);

        Assert.True(r.Run.ExitCode == 0, r.Run.Stdout);
        Assert.Equal("ok", r.Status);
        Assert.Contains(dns.Queries, q => q.Tcp && q.Type == RecordType.Tlsa);
    }

    [Fact]
    public async Task AddressWithoutAd_AddressInsecure()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp());

        var r = await FaultBed.RunAsync("DNS A answer without AD", server.Port, dns: q =>
            FaultBed.SecureAnswers(q) is { } a && q.Type is RecordType.A or RecordType.Aaaa ? a with { Ad = false } : FaultBed.SecureAnswers(q));

        FaultBed.AssertFails(r, FindingCodes.AddressInsecure);
    }

    [Fact]
    public async Task TlsaWithoutAd_TlsaInsecure()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp());

        var r = await FaultBed.RunAsync("DNS TLSA answer without AD", server.Port, dns: q =>
            FaultBed.SecureAnswers(q) is { } a && q.Type == RecordType.Tlsa ? a with { Ad = false } : FaultBed.SecureAnswers(q));

        FaultBed.AssertFails(r, FindingCodes.TlsaInsecure);
    }

    [Fact]
    public async Task CnameLoop_AddressLookupFailed()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp());

        var r = await FaultBed.RunAsync("DNS CNAME loop", server.Port, dns: q => q.Type is RecordType.A or RecordType.Aaaa
            ? FakeDnsServer.Reply(ReturnCode.NoError, true, FakeRr.Cname(FaultBed.Host, "loop.fault.test"), FakeRr.Cname("loop.fault.test", FaultBed.Host))
            : FaultBed.SecureAnswers(q));

        FaultBed.AssertFails(r, FindingCodes.AddressLookupFailed);
    }
}
