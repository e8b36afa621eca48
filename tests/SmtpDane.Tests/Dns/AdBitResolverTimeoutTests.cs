using ARSoft.Tools.Net.Dns;
using SmtpDane.Dns;

namespace SmtpDane.Tests.Dns;

/// <summary>
/// Resolvers that do not answer: retries, demotion of a silent server, the per-query timeout,
/// cancellation. The query timeout runs on a <see cref="TestClock"/>: each attempt's deadline
/// passes when the silent server has the query and the test moves the clock, not after real time.
/// </summary>
public sealed class AdBitResolverTimeoutTests : IDisposable
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromMilliseconds(300);

    private readonly TestClock _clock = new();
    private readonly SemaphoreSlim _heard = new(0);

    public void Dispose() => _heard.Dispose();

    /// <summary>A server that records each query, tells the test, and never answers.</summary>
    private FakeDnsServer Silent() => new(q =>
    {
        _heard.Release();
        return null;
    });

    private AdBitResolver Resolver(params FakeDnsServer[] servers) =>
        new([.. servers.Select(s => s.EndPoint)], QueryTimeout, 2, _clock);

    /// <summary>The silent server has the next attempt; let its deadline pass.</summary>
    private async Task LetAttemptTimeOutAsync()
    {
        Assert.True(await _heard.WaitAsync(TestClock.HangGuard), "the silent server never got the query");
        await _clock.ElapseAsync(QueryTimeout);
    }

    [Fact]
    public async Task QueryMxAsync_SilentResolver_RetriedThenNextAnswers()
    {
        await using var silent = Silent();
        await using var good = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NoError, false, FakeRr.Mx("example.org", 10, "mx.example.org")));

        var query = Resolver(silent, good).QueryMxAsync("example.org", CancellationToken.None);
        await LetAttemptTimeOutAsync();
        await LetAttemptTimeOutAsync();
        var answer = await query.WaitAsync(TestClock.HangGuard);

        Assert.Equal(DnsOutcome.Records, answer.Outcome);
        Assert.Equal(DnsSecurity.Insecure, answer.Security);
        Assert.Equal(2, silent.Queries.Count);
    }

    [Fact]
    public async Task QueryMxAsync_SilentResolver_AskedLastOnLaterQueries()
    {
        await using var silent = Silent();
        await using var good = new FakeDnsServer(q => FakeDnsServer.Reply(ReturnCode.NoError, true, FakeRr.Mx(q.Name, 10, "mx.example.org")));
        var resolver = Resolver(silent, good);

        var query = resolver.QueryMxAsync("example.org", CancellationToken.None);
        await LetAttemptTimeOutAsync();
        await LetAttemptTimeOutAsync();
        var first = await query.WaitAsync(TestClock.HangGuard);
        var second = await resolver.QueryMxAsync("example.net", CancellationToken.None).WaitAsync(TestClock.HangGuard);

        Assert.Equal(DnsOutcome.Records, first.Outcome);
        Assert.Equal(DnsOutcome.Records, second.Outcome);
        Assert.Equal(2, silent.Queries.Count); // both attempts of the first query, none of the second
        Assert.Equal(2, good.Queries.Count);
    }

    [Fact]
    public async Task QueryMxAsync_SilentOnlyResolver_StillAskedEveryTime()
    {
        await using var silent = Silent();
        var resolver = Resolver(silent);

        var first = resolver.QueryMxAsync("example.org", CancellationToken.None);
        await LetAttemptTimeOutAsync();
        await LetAttemptTimeOutAsync();
        await first.WaitAsync(TestClock.HangGuard);
        var second = resolver.QueryMxAsync("example.net", CancellationToken.None);
        await LetAttemptTimeOutAsync(); // a silent server is demoted, never skipped
        await LetAttemptTimeOutAsync();

        Assert.Equal(DnsOutcome.Failed, (await second.WaitAsync(TestClock.HangGuard)).Outcome);
        Assert.Equal(4, silent.Queries.Count);
    }

    [Fact]
    public async Task QueryMxAsync_OnlySilentResolver_FailedTimeout()
    {
        await using var silent = Silent();

        var query = Resolver(silent).QueryMxAsync("example.org", CancellationToken.None);
        await LetAttemptTimeOutAsync();
        await LetAttemptTimeOutAsync();
        var answer = await query.WaitAsync(TestClock.HangGuard);

        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.Contains("no answer within 0.3 s", answer.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryMxAsync_Cancelled_Throws()
    {
        await using var silent = Silent();
        using var cts = new CancellationTokenSource();

        var query = Resolver(silent).QueryMxAsync("example.org", cts.Token);
        Assert.True(await _heard.WaitAsync(TestClock.HangGuard), "the silent server never got the query");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query.WaitAsync(TestClock.HangGuard));
    }

    [Fact]
    public async Task QueryMxAsync_NothingListening_FailedAtOnceNotThrown()
    {
        FakeDnsServer server = new(q => null);
        var endpoint = server.EndPoint;
        await server.DisposeAsync();

        // The clock never moves: the refusal (ICMP port unreachable), not the timeout, ends the query.
        var answer = await new AdBitResolver([endpoint], QueryTimeout, 1, _clock).QueryMxAsync("example.org", CancellationToken.None).WaitAsync(TestClock.HangGuard);

        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.DoesNotContain("no answer within", answer.Failure, StringComparison.Ordinal);
    }
}
