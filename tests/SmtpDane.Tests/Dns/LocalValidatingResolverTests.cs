using System.Net;
using System.Net.Sockets;
using SmtpDane.Dns;

namespace SmtpDane.Tests.Dns;

/// <summary>
/// <c>-dnssec local</c> (libunbound) against <see cref="SignedTestTree"/> on the fake server,
/// anchored at the tree's own root: each algorithm validates, and the states map one to one
/// (secure, insecure with where the chain ends, bogus with libunbound's reason, failure).
/// The hostile cases are in <see cref="DnssecCatalogueTests"/>.
/// </summary>
public class LocalValidatingResolverTests
{
    [Theory]
    [InlineData(8, DnsSecurity.Secure)]
    [InlineData(10, DnsSecurity.Secure)]
    [InlineData(13, DnsSecurity.Secure)]
    [InlineData(14, DnsSecurity.Secure)]
    [InlineData(15, DnsSecurity.Secure)]
    [InlineData(16, DnsSecurity.Insecure)] // Debian's libunbound lacks Ed448: a zone signed only with an unsupported algorithm is insecure (RFC 6840 §5.2), never bogus
    public async Task SignedZone_EachAlgorithm_SecureOrInsecureIfUnsupported(byte algorithm, DnsSecurity expected)
    {
        var tree = new SignedTestTree(25, algorithm);
        await using var server = new FakeDnsServer(tree.Answer);
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [tree.RootKey.Anchor()]);

        var address = await resolver.QueryAddressesAsync("mx.example", AddressFamily.InterNetwork, CancellationToken.None);
        var tlsa = await resolver.QueryTlsaAsync(tree.TlsaOwner, CancellationToken.None);

        Assert.Equal(expected, address.Security);
        Assert.Equal([IPAddress.Loopback], address.Records);
        Assert.Equal(expected, tlsa.Security);
        Assert.Equal(SignedTestTree.TlsaData, tlsa.Records.Single().Data);
    }

    [Fact]
    public async Task SecureDenials_NoDataAndNxDomain_Secure()
    {
        var tree = new SignedTestTree(25);
        await using var server = new FakeDnsServer(tree.Answer);
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [tree.RootKey.Anchor()]);

        var nodata = await resolver.QueryAddressesAsync("mx.example", AddressFamily.InterNetworkV6, CancellationToken.None);
        var nxdomain = await resolver.QueryTlsaAsync("_25._tcp.nosuch.example", CancellationToken.None);

        Assert.Equal((DnsOutcome.NoData, DnsSecurity.Secure), (nodata.Outcome, nodata.Security));
        Assert.Equal((DnsOutcome.NxDomain, DnsSecurity.Secure), (nxdomain.Outcome, nxdomain.Security));
    }

    [Fact]
    public async Task UnsignedDelegation_Insecure_NamesWhereTheChainEnds()
    {
        var tree = new SignedTestTree(25);
        await using var server = new FakeDnsServer(tree.Answer);
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [tree.RootKey.Anchor()]);

        var answer = await resolver.QueryAddressesAsync("host.unsigned", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsSecurity.Insecure, answer.Security);
        Assert.Equal([IPAddress.Loopback], answer.Records);
        Assert.Equal("unsigned", answer.InsecureAt);
    }

    [Fact]
    public async Task BuiltInAnchors_PrivateRoot_Bogus()
    {
        var tree = new SignedTestTree(25);
        await using var server = new FakeDnsServer(tree.Answer);
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], TrustAnchors.BuiltIn);

        var answer = await resolver.QueryAddressesAsync("mx.example", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsSecurity.Bogus, answer.Security);
        Assert.Empty(answer.Records);
        Assert.StartsWith("bogus: validation failure <mx.example. A IN>: ", answer.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentServer_Failed_NotThrown()
    {
        var clock = new TestClock();
        using var heard = new SemaphoreSlim(0);
        await using var server = new FakeDnsServer(_ =>
        {
            heard.Release();
            return null;
        });
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], TrustAnchors.BuiltIn, TimeSpan.FromMilliseconds(300), clock);

        var query = resolver.QueryTlsaAsync("_25._tcp.mx.example", CancellationToken.None);
        Assert.True(await heard.WaitAsync(TestClock.HangGuard), "libunbound never asked the forwarder");
        await clock.ElapseAsync(TimeSpan.FromMilliseconds(300));
        var answer = await query.WaitAsync(TestClock.HangGuard);

        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.Equal(DnsSecurity.Indeterminate, answer.Security);
        Assert.Contains("within 0.3 s", answer.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_Throws_AndTheResolverStillWorks()
    {
        var tree = new SignedTestTree(25);
        var silent = true;
        await using var server = new FakeDnsServer(q => silent ? null : tree.Answer(q));
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [tree.RootKey.Anchor()]);
        using var cts = new CancellationTokenSource();

        var pending = resolver.QueryMxAsync("example", cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        silent = false;
        var answer = await resolver.QueryMxAsync("example", CancellationToken.None);

        Assert.Equal(DnsSecurity.Secure, answer.Security);
    }

    [Fact]
    public async Task ForwardersOnDifferentPorts_Accepted()
    {
        var tree = new SignedTestTree(25);
        await using var dead = new FakeDnsServer(_ => null);
        await using var server = new FakeDnsServer(tree.Answer);
        using var resolver = LocalValidatingResolver.Create([dead.EndPoint, server.EndPoint], [tree.RootKey.Anchor()]);

        var answer = await resolver.QueryMxAsync("example", CancellationToken.None);

        Assert.Equal(DnsSecurity.Secure, answer.Security);
        Assert.Equal("mx.example", answer.Records.Single().Exchange);
    }

    [Fact]
    public async Task ManyLookups_EachZoneKeyFetchedOnce()
    {
        // libunbound's cache lasts the resolver's life (one run): keys and DS are fetched and
        // validated once, however many lookups (issue #14: no validation work repeated in a run).
        var tree = new SignedTestTree(25);
        await using var server = new FakeDnsServer(tree.Answer);
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [tree.RootKey.Anchor()]);

        for (var i = 0; i < 3; i++)
        {
            await resolver.QueryMxAsync("example", CancellationToken.None);
            await resolver.QueryAddressesAsync("mx.example", AddressFamily.InterNetwork, CancellationToken.None);
            await resolver.QueryAddressesAsync("mx.example", AddressFamily.InterNetworkV6, CancellationToken.None);
            await resolver.QueryTlsaAsync(tree.TlsaOwner, CancellationToken.None);
        }

        var asked = server.Queries.Where(q => !q.Tcp).GroupBy(q => $"{SignedTestTree.Normal(q.Name)} {q.Type}").ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1, asked["example DnsKey"]);
        Assert.Equal(1, asked[". DnsKey"]);
        Assert.Equal(1, asked["example Ds"]);
        Assert.Equal(1, asked["example Mx"]);
        Assert.Equal(1, asked[$"{tree.TlsaOwner} Tlsa"]);
    }
}
