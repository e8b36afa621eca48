using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SmtpDane.Cli;
using SmtpDane.Dns;

namespace SmtpDane.Tests.Dns;

/// <summary>
/// Issue #12's hostile DNS catalogue against <c>-dnssec local</c> (libunbound): every attack of
/// <see cref="HostileDnsCatalogue"/> on the fake server, the tool anchored at the tree's own
/// root. Each must come out bogus (insecure where RFC 4035 says so, failed for spoofed replies),
/// never secure, first at the resolver, then through the whole program (verdict and finding code).
/// </summary>
public class DnssecCatalogueTests
{
    /// <summary>Spoofed replies are dropped, so those cases end in libunbound's timeout: keep it short.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1.5);

    public static TheoryData<string> Ids() => [.. HostileDnsCatalogue.All.Select(c => c.Id)];

    [Fact]
    public async Task GenuineTree_WholeProgram_ReachesTheProbe()
    {
        // The control: without an attack every lookup is secure, and the run only fails at the
        // (closed) port: the catalogue's errors come from the attacks, not from the tree.
        var tree = new SignedTestTree(ClosedPort());
        await using var server = new FakeDnsServer(tree.Answer);

        var (code, json) = await RunProgramAsync(tree, server);

        Assert.Equal(1, code);
        var codes = Codes(json);
        Assert.Contains("tlsa.found", codes);
        Assert.DoesNotContain(codes, c => c.Contains("lookup-failed", StringComparison.Ordinal) || c.EndsWith(".insecure", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Attack_Resolver_NeverSecure(string id)
    {
        var attack = HostileDnsCatalogue.All.Single(c => c.Id == id);
        var tree = new SignedTestTree(25);
        tree.Forge = attack.Attack(tree);
        await using var server = new FakeDnsServer(tree.Answer);
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [tree.RootKey.Anchor()], Timeout);

        var (security, records, failure, insecureAt) = attack.Lookup switch
        {
            HostileDnsCatalogue.Lookup.Mx => Facts(await resolver.QueryMxAsync("example", CancellationToken.None)),
            HostileDnsCatalogue.Lookup.Address => Facts(await resolver.QueryAddressesAsync("mx.example", AddressFamily.InterNetwork, CancellationToken.None)),
            _ => Facts(await resolver.QueryTlsaAsync(tree.TlsaOwner, CancellationToken.None)),
        };

        Assert.Equal(attack.ExpectedState, security.ToString());
        if (security == DnsSecurity.Bogus)
        {
            Assert.Equal(0, records);
            Assert.StartsWith("bogus: validation failure <", failure, StringComparison.Ordinal);
        }
        else if (security == DnsSecurity.Insecure)
        {
            Assert.Equal("unsigned", insecureAt);
        }
        else
        {
            Assert.Equal(0, records);
            Assert.NotNull(failure);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Attack_WholeProgram_ErrorWithItsFindingCode(string id)
    {
        var attack = HostileDnsCatalogue.All.Single(c => c.Id == id);
        var tree = new SignedTestTree(ClosedPort());
        tree.Forge = attack.Attack(tree);
        await using var server = new FakeDnsServer(tree.Answer);

        var (code, json) = await RunProgramAsync(tree, server, attack.ExpectedState == "Indeterminate" ? "3s" : "20s");

        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("error", doc.RootElement.GetProperty("status").GetString());
        var codes = Codes(json);
        Assert.True(codes.Contains(attack.Code), $"{id}: {attack.Code} missing; got {string.Join(", ", codes)}");
        Assert.DoesNotContain("dane.verified", codes);
    }

    private static (DnsSecurity, int, string?, string?) Facts<T>(DnsAnswer<T> a) => (a.Security, a.Records.Count, a.Failure, a.InsecureAt);

    private static async Task<(int Code, string Json)> RunProgramAsync(SignedTestTree tree, FakeDnsServer server, string timeout = "20s")
    {
        var anchor = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(anchor, $". IN DS {tree.RootKey.Anchor()}\n");
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var env = new Dictionary<string, string?> { ["DNS_RESOLVER"] = $"127.0.0.1:{server.EndPoint.Port}" };
            string[] args = ["-mx", "-json", "-dnssec", "local", "-trust-anchor", anchor, "-timeout", timeout, "-connect-timeout", "2s", $"example:{HostileDnsCatalogue.Port(tree)}"];

            var code = await CommandLineApp.RunAsync(args, stdout, stderr, env, stdoutIsTerminal: false, CancellationToken.None);

            Assert.Equal(string.Empty, stderr.ToString());
            return (code, stdout.ToString());
        }
        finally
        {
            File.Delete(anchor);
        }
    }

    private static List<string> Codes(string json)
    {
        var codes = new List<string>();
        Walk(JsonDocument.Parse(json).RootElement);
        return codes;

        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name == "code" && p.Value.ValueKind == JsonValueKind.String)
                    {
                        codes.Add(p.Value.GetString()!);
                    }

                    Walk(p.Value);
                }
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item);
                }
            }
        }
    }

    /// <summary>A loopback port nothing listens on (connections are refused at once).</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
