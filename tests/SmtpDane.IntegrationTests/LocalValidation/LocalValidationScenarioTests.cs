using System.Text.Json;

namespace SmtpDane.IntegrationTests.LocalValidation;

/// <summary>
/// <c>-dnssec local</c> against the test bed, anchored with the bed's own root key: every
/// scenario must reach the same JSON status as resolver mode (the verdict the table expects),
/// and the bogus zones must say why they are bogus.
/// </summary>
public class LocalValidationScenarioTests
{
    public static TheoryData<string> Ids() => ScenarioVerdictTests.Ids();

    [TestbedTheory]
    [MemberData(nameof(Ids))]
    public async Task Scenario_LocalMode_SameStatusAsResolverMode(string id)
    {
        var scenario = ScenarioTable.Load().Single(s => s.Id == id);
        var flags = new List<string>([.. ScenarioVerdictTests.ModeFlags(scenario.Mode), .. scenario.ExtraFlags, "-json"]);

        var resolver = await ToolRun.RunAsync([.. flags, scenario.Argument]);
        var local = await ToolRun.RunAsync([.. flags, "-dnssec", "local", "-trust-anchor", Testbed.RootKeyPath, scenario.Argument]);

        Assert.True(local.Stderr.Length == 0, $"{id}: stderr: {local.Stderr}");
        Assert.Equal(Status(resolver.Stdout), Status(local.Stdout));
        Assert.Equal(resolver.ExitCode, local.ExitCode);
        var codes = ToolRun.FindingCodes(Parse(local.Stdout).RootElement);
        foreach (var code in scenario.ExpectCodes)
        {
            Assert.True(codes.Contains(code), $"{id}: finding {code} missing in local mode; got {string.Join(", ", codes.Order())}\n{local.Stdout}");
        }
    }

    [TestbedTheory]
    [InlineData("bogussig.test", "bogus: validation failure <bogussig.test. MX IN>: ", "signature expired")]
    [InlineData("bogusds.test", "bogus: validation failure <bogusds.test. MX IN>: ", "no keys have a DS with algorithm RSASHA256")]
    public async Task BogusZone_LocalMode_NamesTheReason(string domain, string reason, string detail)
    {
        var local = await ToolRun.RunAsync(["-mx", "-json", "-dnssec", "local", "-trust-anchor", Testbed.RootKeyPath, domain]);

        Assert.Equal("error", Status(local.Stdout));
        Assert.Contains(reason, local.Stdout, StringComparison.Ordinal);
        Assert.Contains(detail, local.Stdout, StringComparison.Ordinal);
    }

    [TestbedTheory]
    [InlineData("root.key")]
    [InlineData("root.ds")]
    public async Task TrustAnchorFormats_BothBedFiles_ValidateSecurely(string file)
    {
        var local = await ToolRun.RunAsync(["-mx", "-json", "-dnssec", "local", "-trust-anchor", Path.Combine(Testbed.RunDirectory, file), "ee311.test"]);

        Assert.Equal("ok", Status(local.Stdout));
        Assert.Equal(0, local.ExitCode);
    }

    [TestbedFact]
    public async Task BuiltInAnchors_BedRoot_IsBogus()
    {
        // The bed's private root is not the real root: with IANA's anchors nothing validates.
        var local = await ToolRun.RunAsync(["-mx", "-json", "-dnssec", "local", "ee311.test"]);

        Assert.Equal("error", Status(local.Stdout));
        Assert.Contains("bogus: validation failure <ee311.test. MX IN>: ", local.Stdout, StringComparison.Ordinal);
    }

    [TestbedFact]
    public async Task InsecureZone_LocalMode_ReportsInsecureDelegation()
    {
        var resolver = new Dns.AdBitResolver([new System.Net.IPEndPoint(System.Net.IPAddress.Parse(Testbed.ResolverAddress), 53)]);
        using var local = Dns.LocalValidatingResolver.Create(
            [new System.Net.IPEndPoint(System.Net.IPAddress.Parse(Testbed.ResolverAddress), 53)],
            await Dns.TrustAnchors.LoadAsync(Testbed.RootKeyPath, DateTimeOffset.UtcNow, CancellationToken.None));

        var answer = await local.QueryMxAsync("insecure.test", CancellationToken.None);
        var viaResolver = await resolver.QueryMxAsync("insecure.test", CancellationToken.None);

        Assert.Equal(Dns.DnsSecurity.Insecure, answer.Security);
        Assert.Equal("insecure.test", answer.InsecureAt);
        Assert.Equal(viaResolver.Records, answer.Records);
    }

    [TestbedFact]
    public async Task SignedTlsa_LocalMode_IsSecure()
    {
        using var local = Dns.LocalValidatingResolver.Create(
            [new System.Net.IPEndPoint(System.Net.IPAddress.Parse(Testbed.ResolverAddress), 53)],
            await Dns.TrustAnchors.LoadAsync(Testbed.RootDsPath, DateTimeOffset.UtcNow, CancellationToken.None));

        var tlsa = await local.QueryTlsaAsync("_25._tcp.mx.ee311.test", CancellationToken.None);
        var denied = await local.QueryTlsaAsync("_25._tcp.mx.notlsa.test", CancellationToken.None);

        Assert.Equal(Dns.DnsSecurity.Secure, tlsa.Security);
        Assert.Equal(Dns.DnsOutcome.Records, tlsa.Outcome);
        Assert.Equal(Dns.DnsSecurity.Secure, denied.Security);
        Assert.NotEqual(Dns.DnsOutcome.Records, denied.Outcome);
    }

    private static JsonDocument Parse(string json) => JsonDocument.Parse(json);

    private static string? Status(string json)
    {
        using var doc = Parse(json);
        return doc.RootElement.GetProperty("status").GetString();
    }
}
