using SmtpDane.Cli;
using SmtpDane.Dns;

namespace SmtpDane.Tests.Dns;

public class TrustAnchorsTests
{
    private const string BedKey = ". IN DNSKEY 257 3 13 nTTsRWBWGdKekuKzUBS7ieI43lPuqnNF/HhzPj7NmPhQPRomrjeDSvXu tmdgVqWfm+D/7wBNVxYJEXw3/jrKhQ==";
    private const string BedDsDigest = "6DC14E588033F1D501B7AFC7F3B39BD6DE2549B36C7BAC4925353747A2D04B04";
    private const string Ksk2017 = "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D";
    private const string Ksk2024 = "683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16";

    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly string IanaXml = $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <TrustAnchor id="380DC50D-484E-40D0-A3AE-68F2B18F61C7" source="http://data.iana.org/root-anchors/root-anchors.xml">
        <Zone>.</Zone>
        <KeyDigest id="Klajeyz" validFrom="2017-02-02T00:00:00+00:00">
        <KeyTag>20326</KeyTag>
        <Algorithm>8</Algorithm>
        <DigestType>2</DigestType>
        <Digest>{Ksk2017}</Digest>
        </KeyDigest>
        <KeyDigest id="Kmyv6jo" validFrom="2024-07-18T00:00:00+00:00">
        <KeyTag>38696</KeyTag>
        <Algorithm>8</Algorithm>
        <DigestType>2</DigestType>
        <Digest>{Ksk2024}</Digest>
        </KeyDigest>
        </TrustAnchor>
        """;

    [Fact]
    public void BuiltIn_HoldsKsk2017AndKsk2024()
    {
        Assert.Equal(["20326 8 2 " + Ksk2017, "38696 8 2 " + Ksk2024], TrustAnchors.BuiltIn.Select(a => a.ToString()));
    }

    [Fact]
    public void Parse_DsLine_Kept()
    {
        var anchors = TrustAnchors.Parse($". IN DS 36351 13 2 {BedDsDigest}\n", "root.ds", Now);

        Assert.Equal($"36351 13 2 {BedDsDigest}", Assert.Single(anchors).ToString());
    }

    [Fact]
    public void Parse_DsLineWithTtlCommentsAndSplitDigest_Kept()
    {
        var text = $"; unbound root.ds\n.\t172800\tIN\tDS\t20326 8 2 {Ksk2017[..32]} {Ksk2017[32..]} ; KSK-2017\n\n";

        Assert.Equal("20326 8 2 " + Ksk2017, Assert.Single(TrustAnchors.Parse(text, "f", Now)).ToString());
    }

    [Fact]
    public void Parse_DnsKeyLine_TurnedIntoItsSha256Ds()
    {
        // The test bed's root.key and root.ds describe the same key.
        var anchor = Assert.Single(TrustAnchors.Parse(BedKey, "root.key", Now));

        Assert.Equal($"36351 13 2 {BedDsDigest}", anchor.ToString());
    }

    [Fact]
    public void Parse_DnsKeyInParentheses_Kept()
    {
        var text = ". 3600 IN DNSKEY 257 3 13 (\n nTTsRWBWGdKekuKzUBS7ieI43lPuqnNF/HhzPj7NmPhQPRomrjeDSvXu\n tmdgVqWfm+D/7wBNVxYJEXw3/jrKhQ== ) ; KSK";

        Assert.Equal(36351, Assert.Single(TrustAnchors.Parse(text, "f", Now)).KeyTag);
    }

    [Fact]
    public void Parse_DnsKeyWithoutZoneFlag_Skipped()
    {
        var text = BedKey.Replace("257", "1", StringComparison.Ordinal) + "\n" + BedKey + "\n";

        Assert.Single(TrustAnchors.Parse(text, "f", Now));
    }

    [Fact]
    public void Parse_RevokedKeyOnly_Rejected()
    {
        var e = Assert.Throws<TrustAnchorException>(() => TrustAnchors.Parse(BedKey.Replace("257", "385", StringComparison.Ordinal), "f", Now));

        Assert.Contains("no usable anchor", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IanaXml_BothCurrentDigests()
    {
        var anchors = TrustAnchors.Parse(IanaXml, "root-anchors.xml", Now);

        Assert.Equal([20326, 38696], anchors.Select(a => (int)a.KeyTag));
    }

    [Fact]
    public void Parse_IanaXmlBeforeValidFrom_LaterKeyLeftOut()
    {
        var anchors = TrustAnchors.Parse(IanaXml, "root-anchors.xml", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(20326, Assert.Single(anchors).KeyTag);
    }

    [Fact]
    public void Parse_IanaXmlPastValidUntil_KeyLeftOut()
    {
        var xml = IanaXml.Replace("id=\"Klajeyz\"", "id=\"Klajeyz\" validUntil=\"2025-01-01T00:00:00+00:00\"", StringComparison.Ordinal);

        Assert.Equal(38696, Assert.Single(TrustAnchors.Parse(xml, "root-anchors.xml", Now)).KeyTag);
    }

    [Fact]
    public void Parse_IanaXmlAllExpired_Rejected()
    {
        var xml = IanaXml.Replace("validFrom=", "validUntil=\"2000-01-01T00:00:00Z\" validFrom=", StringComparison.Ordinal);

        var e = Assert.Throws<TrustAnchorException>(() => TrustAnchors.Parse(xml, "root-anchors.xml", Now));
        Assert.Contains("no KeyDigest is valid", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example. IN DS 20326 8 2 " + Ksk2017, "f:1: owner \"example.\" is not the root")]
    [InlineData(". IN DS 20326 8 2 ZZ", "f:1: DS digest is not hexadecimal")]
    [InlineData(". IN DS 20326 8 2 E06D44", "f:1: DS digest has 3 bytes; digest type 2 needs 32")]
    [InlineData(". IN DS 20326 8 9 E06D44", "f:1: DS digest type 9 is not")]
    [InlineData(". IN DS 70000 8 2 " + Ksk2017, "f:1: key tag \"70000\" is not a number")]
    [InlineData(". IN DS 20326 8", "f:1: DS needs key tag")]
    [InlineData(". IN A 192.0.2.1", "f:1: record type \"A\" is not DS or DNSKEY")]
    [InlineData(". IN", "f:1: missing record type")]
    [InlineData(". IN DNSKEY 257 3 8 !!!notbase64", "f:1: DNSKEY public key is not valid base64")]
    [InlineData(". IN DNSKEY 257 2 8 AwEAAQ==", "f:1: DNSKEY protocol is 2")]
    [InlineData("\n. IN DNSKEY 257 3 13 ( AwEAAQ==", "f:2: unbalanced '('")]
    [InlineData("; only a comment\n", "holds no usable anchor")]
    [InlineData("", "holds no usable anchor")]
    [InlineData("<TrustAnchor><Zone>.</Zone><KeyDigest>", "not well-formed XML")]
    [InlineData("<Other/>", "without a TrustAnchor element")]
    [InlineData("<TrustAnchor><Zone>example.</Zone></TrustAnchor>", "Zone \"example.\" is not the root")]
    [InlineData("<TrustAnchor><Zone>.</Zone><KeyDigest><KeyTag>1</KeyTag></KeyDigest></TrustAnchor>", "KeyDigest needs KeyTag, Algorithm, DigestType and Digest")]
    [InlineData("<TrustAnchor><KeyDigest validFrom=\"soon\"></KeyDigest></TrustAnchor>", "validFrom \"soon\" is not a date-time")]
    [InlineData("<!DOCTYPE x [<!ENTITY e \"x\">]><TrustAnchor/>", "not well-formed XML")]
    public void Parse_Malformed_ClearError(string text, string expected)
    {
        var e = Assert.Throws<TrustAnchorException>(() => TrustAnchors.Parse(text, "f", Now));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_MissingFile_ClearError()
    {
        var e = await Assert.ThrowsAsync<TrustAnchorException>(() => TrustAnchors.LoadAsync("/nonexistent/root.key", Now, CancellationToken.None));

        Assert.StartsWith("cannot read trust anchor file /nonexistent/root.key", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 3)]
    public async Task Cli_MalformedTrustAnchor_BadFlagsExitCode(bool nagios, int exitCode)
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, ". IN DS 20326 8 2 NOTHEX\n");
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            string[] args = nagios
                ? ["-nagios", "-dnssec", "local", "-trust-anchor", path, "h.example"]
                : ["-dnssec", "local", "-trust-anchor", path, "h.example"];
            var env = new Dictionary<string, string?> { ["DNS_RESOLVER"] = "127.0.0.1" };

            var code = await CommandLineApp.RunAsync(args, stdout, stderr, env, stdoutIsTerminal: false, CancellationToken.None);

            Assert.Equal(exitCode, code);
            Assert.Contains($"{path}:1: DS digest is not hexadecimal", nagios ? stdout.ToString() : stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
