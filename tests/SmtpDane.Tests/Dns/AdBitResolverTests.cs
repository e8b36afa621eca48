using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using SmtpDane.Dns;
using SmtpDane.Model;

namespace SmtpDane.Tests.Dns;

public class AdBitResolverTests
{
    // Answering servers get a generous timeout (first-use JIT can be slow); silent ones are in AdBitResolverTimeoutTests, on a test clock.
    private static AdBitResolver Resolver(params FakeDnsServer[] servers) =>
        new(servers.Select(s => s.EndPoint).ToList(), TimeSpan.FromSeconds(5), 2);

    [Fact]
    public async Task QueryAddressesAsync_AdSet_SecureWithDoAndRd()
    {
        await using var server = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NoError, true, FakeRr.A("mx.example.org", "192.0.2.1")));

        var answer = await Resolver(server).QueryAddressesAsync("MX.Example.org.", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsOutcome.Records, answer.Outcome);
        Assert.Equal(DnsSecurity.Secure, answer.Security);
        Assert.Equal([IPAddress.Parse("192.0.2.1")], answer.Records);
        Assert.Equal("mx.example.org", answer.QueryName);
        Assert.Equal("mx.example.org", answer.CanonicalName);
        Assert.Empty(answer.CnameChain);
        var query = Assert.Single(server.Queries);
        Assert.True(query.DnssecOk);
        Assert.True(query.RecursionDesired);
        Assert.Equal(RecordType.A, query.Type);
        Assert.Equal("mx.example.org", query.Name);
        Assert.False(query.Tcp);
    }

    [Fact]
    public async Task QueryAddressesAsync_AdUnset_Insecure()
    {
        await using var server = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NoError, false, FakeRr.Aaaa("mx.example.org", "2001:db8::1")));

        var answer = await Resolver(server).QueryAddressesAsync("mx.example.org", AddressFamily.InterNetworkV6, CancellationToken.None);

        Assert.Equal(DnsSecurity.Insecure, answer.Security);
        Assert.Equal([IPAddress.Parse("2001:db8::1")], answer.Records);
        Assert.Equal(RecordType.Aaaa, Assert.Single(server.Queries).Type);
    }

    [Fact]
    public async Task QueryTlsaAsync_Truncated_RetriesOverTcp()
    {
        var data = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        await using var server = new FakeDnsServer(q => q.Tcp
            ? FakeDnsServer.Reply(ReturnCode.NoError, true, FakeRr.Tlsa("_25._tcp.mx.example.org", 3, 1, 1, data), FakeRr.Tlsa("_25._tcp.mx.example.org", 2, 0, 2, [9]))
            : new FakeReply(ReturnCode.NoError, true, [], Truncated: true));

        var answer = await Resolver(server).QueryTlsaAsync("_25._tcp.mx.example.org", CancellationToken.None);

        Assert.Equal(DnsOutcome.Records, answer.Outcome);
        Assert.Equal(DnsSecurity.Secure, answer.Security);
        Assert.Equal([new SmtpDane.Model.TlsaRecord(3, 1, 1, data), new SmtpDane.Model.TlsaRecord(2, 0, 2, [9])], answer.Records);
        Assert.Equal([false, true], server.Queries.Select(q => q.Tcp));
    }

    [Fact]
    public async Task QueryMxAsync_ServfailOnFirst_SecondAnswers()
    {
        await using var bad = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.ServerFailure, false));
        await using var good = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NoError, true, FakeRr.Mx("example.org", 10, "mx.example.org")));

        var answer = await Resolver(bad, good).QueryMxAsync("example.org", CancellationToken.None);

        Assert.Equal(DnsSecurity.Secure, answer.Security);
        Assert.Equal([new SmtpDane.Dns.MxRecord(10, "mx.example.org")], answer.Records);
        Assert.Single(bad.Queries);
    }

    [Fact]
    public async Task QueryMxAsync_AllServfailOrRefused_FailedWithReasons()
    {
        await using var first = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.ServerFailure, false));
        await using var second = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.Refused, false));

        var answer = await Resolver(first, second).QueryMxAsync("example.org", CancellationToken.None);

        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.Equal(DnsSecurity.Indeterminate, answer.Security);
        Assert.Contains("SERVFAIL (bogus DNSSEC or server failure)", answer.Failure, StringComparison.Ordinal);
        Assert.Contains("REFUSED", answer.Failure, StringComparison.Ordinal);
        Assert.Contains(first.EndPoint.ToString(), answer.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryMxAsync_NxDomain_FinalAndSecure()
    {
        await using var first = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NxDomain, true));
        await using var second = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NoError, true, FakeRr.Mx("example.org", 10, "mx.example.org")));

        var answer = await Resolver(first, second).QueryMxAsync("nowhere.example.org", CancellationToken.None);

        Assert.Equal(DnsOutcome.NxDomain, answer.Outcome);
        Assert.Equal(DnsSecurity.Secure, answer.Security);
        Assert.Empty(second.Queries);
    }

    [Fact]
    public async Task QueryTlsaAsync_NoRecords_NoData()
    {
        await using var server = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NoError, false));

        var answer = await Resolver(server).QueryTlsaAsync("_25._tcp.mx.example.org", CancellationToken.None);

        Assert.Equal(DnsOutcome.NoData, answer.Outcome);
        Assert.Equal(DnsSecurity.Insecure, answer.Security);
    }

    [Fact]
    public async Task QueryAddressesAsync_CnameChain_CanonicalNameAndChain()
    {
        await using var server = new FakeDnsServer(q => FakeDnsServer.Reply(
            ReturnCode.NoError,
            true,
            FakeRr.Cname("mail.example.org", "Alias.Example.net"),
            FakeRr.Cname("alias.example.net", "mx.provider.net"),
            FakeRr.A("mx.provider.net", "192.0.2.7"),
            FakeRr.A("unrelated.example", "192.0.2.99")));

        var answer = await Resolver(server).QueryAddressesAsync("mail.example.org", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal([IPAddress.Parse("192.0.2.7")], answer.Records);
        Assert.Equal("mx.provider.net", answer.CanonicalName);
        Assert.Equal(["mail.example.org", "alias.example.net"], answer.CnameChain);
    }

    [Fact]
    public async Task QueryAddressesAsync_CnameToNxDomain_NxDomainAtCanonical()
    {
        await using var server = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NxDomain, true, FakeRr.Cname("mail.example.org", "gone.example.net")));

        var answer = await Resolver(server).QueryAddressesAsync("mail.example.org", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsOutcome.NxDomain, answer.Outcome);
        Assert.Equal("gone.example.net", answer.CanonicalName);
    }

    [Fact]
    public async Task QueryAddressesAsync_CnameLoop_Failed()
    {
        await using var server = new FakeDnsServer(q => FakeDnsServer.Reply(
            ReturnCode.NoError,
            true,
            FakeRr.Cname("a.example.org", "b.example.org"),
            FakeRr.Cname("b.example.org", "a.example.org")));

        var answer = await Resolver(server).QueryAddressesAsync("a.example.org", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.Contains("loops", answer.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAddressesAsync_CnameChainTooLong_Failed()
    {
        var chain = Enumerable.Range(0, 20).Select(i => FakeRr.Cname($"c{i}.example.org", $"c{i + 1}.example.org")).ToArray();
        await using var server = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NoError, true, chain));

        var answer = await Resolver(server).QueryAddressesAsync("c0.example.org", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.Contains("longer than 16", answer.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryMxAsync_NullMx_EmptyExchange()
    {
        await using var server = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NoError, true, FakeRr.Mx("example.org", 0, ".")));

        var answer = await Resolver(server).QueryMxAsync("example.org", CancellationToken.None);

        Assert.Equal([new SmtpDane.Dns.MxRecord(0, "")], answer.Records);
    }

    [Fact]
    public async Task QuerySrvAsync_Records_ParsedAndDotTargetEmpty()
    {
        await using var server = new FakeDnsServer(q => FakeDnsServer.Reply(
            ReturnCode.NoError,
            true,
            FakeRr.Srv("_submission._tcp.example.org", 10, 5, 587, "Smtp.Example.org"),
            FakeRr.Srv("_submission._tcp.example.org", 20, 0, 0, ".")));

        var answer = await Resolver(server).QuerySrvAsync("_submission._tcp.example.org", CancellationToken.None);

        Assert.Equal([new SmtpDane.Dns.SrvRecord(10, 5, 587, "smtp.example.org"), new SmtpDane.Dns.SrvRecord(20, 0, 0, "")], answer.Records);
        Assert.Equal(RecordType.Srv, Assert.Single(server.Queries).Type);
    }

    [Fact]
    public async Task QueryAddressesAsync_TooManyRecords_Failed()
    {
        var many = Enumerable.Range(0, 1001).Select(i => FakeRr.A("big.example.org", $"10.0.{i / 256}.{i % 256}")).ToArray();
        await using var server = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NoError, true, many));

        var answer = await Resolver(server).QueryAddressesAsync("big.example.org", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.Contains("1001 records", answer.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAddressesAsync_AnswerForOtherQuestion_Failed()
    {
        await using var server = new FakeDnsServer(q => new FakeReply(ReturnCode.NoError, true, [FakeRr.A("evil.example", "192.0.2.66")], QuestionName: "evil.example"));

        var answer = await Resolver(server).QueryAddressesAsync("mx.example.org", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.Contains("different question", answer.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAddressesAsync_InvalidName_FailedWithoutQuery()
    {
        await using var server = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NoError, true));

        var answer = await Resolver(server).QueryAddressesAsync("bad..name", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.Empty(server.Queries);
    }
}
