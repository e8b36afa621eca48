using ARSoft.Tools.Net.Dns;
using SmtpDane.Dns;
using static SmtpDane.Tests.Dns.AdBitResolverTests;

namespace SmtpDane.Tests.Dns;

/// <summary>Resolvers that do not answer: retries, demotion of a silent server, the per-query timeout, cancellation.</summary>
public class AdBitResolverTimeoutTests
{
    [Fact]
    public async Task QueryMxAsync_SilentResolver_RetriedThenNextAnswers()
    {
        await using var silent = new FakeDnsServer(q => null);
        await using var good = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NoError, false, FakeRr.Mx("example.org", 10, "mx.example.org")));

        var answer = await new AdBitResolver([silent.EndPoint, good.EndPoint], TimeSpan.FromSeconds(1), 2).QueryMxAsync("example.org", CancellationToken.None);

        Assert.Equal(DnsOutcome.Records, answer.Outcome);
        Assert.Equal(DnsSecurity.Insecure, answer.Security);
        Assert.Equal(2, silent.Queries.Count);
    }

    [Fact]
    public async Task QueryMxAsync_SilentResolver_AskedLastOnLaterQueries()
    {
        await using var silent = new FakeDnsServer(q => null);
        await using var good = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NoError, true, FakeRr.Mx(q.Name, 10, "mx.example.org")));
        var resolver = new AdBitResolver([silent.EndPoint, good.EndPoint], TimeSpan.FromSeconds(1), 2);

        var first = await resolver.QueryMxAsync("example.org", CancellationToken.None);
        var second = await resolver.QueryMxAsync("example.net", CancellationToken.None);

        Assert.Equal(DnsOutcome.Records, first.Outcome);
        Assert.Equal(DnsOutcome.Records, second.Outcome);
        Assert.Equal(2, silent.Queries.Count); // both attempts of the first query, none of the second
        Assert.Equal(2, good.Queries.Count);
    }

    [Fact]
    public async Task QueryMxAsync_SilentOnlyResolver_StillAskedEveryTime()
    {
        await using var silent = new FakeDnsServer(q => null);
        var resolver = QuickResolver(silent);

        await resolver.QueryMxAsync("example.org", CancellationToken.None);
        var second = await resolver.QueryMxAsync("example.net", CancellationToken.None);

        Assert.Equal(DnsOutcome.Failed, second.Outcome);
        Assert.True(silent.Queries.Count >= 2, "a silent server is demoted, never skipped");
    }

    [Fact]
    public async Task QueryMxAsync_OnlySilentResolver_FailedTimeout()
    {
        await using var silent = new FakeDnsServer(q => null);

        var answer = await QuickResolver(silent).QueryMxAsync("example.org", CancellationToken.None);

        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.Contains("no answer within 0.3 s", answer.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryMxAsync_Cancelled_Throws()
    {
        await using var silent = new FakeDnsServer(q => null);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var resolver = new AdBitResolver([silent.EndPoint], TimeSpan.FromSeconds(10), 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resolver.QueryMxAsync("example.org", cts.Token));
    }

    [Fact]
    public async Task QueryMxAsync_NothingListening_FailedNotThrown()
    {
        FakeDnsServer server = new(q => null);
        var endpoint = server.EndPoint;
        await server.DisposeAsync();

        var answer = await new AdBitResolver([endpoint], ShortTimeout, 1).QueryMxAsync("example.org", CancellationToken.None);

        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
    }
}
