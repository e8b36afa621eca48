using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using SmtpDane.Exporter;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Tests.Exporter;

public partial class PrometheusOutputTests
{
    // A sample line: name, optional {label="value",...} with escaped values, a float.
    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (gauge|counter|untyped|summary|histogram))$")]
    private static partial Regex CommentLine();

    internal static RunResult SampleRun(string hostName = "mx.example.org")
    {
        var target = new Target("example.org", TargetMode.Mx, "example.org", null);
        var address = new AddressResult(
            IPAddress.Parse("192.0.2.25"), 25,
            [Finding.Success(FindingCodes.DaneVerified, "ok")],
            new TlsSummary("TLSv1.3", "TLS_AES_128_GCM_SHA256", [], null, TimeSpan.FromMilliseconds(12)),
            TimeSpan.FromMilliseconds(40));
        var host = new HostResult(hostName, 25, 10, false, [], "mx.example.org", [new(3, 1, 1, new byte[32])], [address]);
        return new RunResult([new TargetResult(target, [], [host])], [], DateTimeOffset.UnixEpoch, TimeSpan.FromMilliseconds(55));
    }

    private static void AssertValidExposition(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            Assert.True(line.StartsWith('#') ? CommentLine().IsMatch(line) : SampleLine().IsMatch(line), $"bad line: {line}");
        }
    }

    /// <summary>Each exposition the tests below check by pattern, for promtool to check as well.</summary>
    private static string Exposition(string name)
    {
        var run = SampleRun();
        switch (name)
        {
            case "verified":
                return ProbeMetrics.Render(run, "mx");
            case "mta-sts":
                var sts = new MtaStsResult("example.org", TxtOutcome.Valid, "1", null, new StsPolicy(StsMode.Enforce, 604800, ["mx.example.org"]), TxtOutcome.None, null, []);
                return ProbeMetrics.Render(run with { Targets = [SmtpDane.Probing.StsVerdict.Apply(run.Targets[0], sts)] }, "mx");
            case "hostile":
                return ProbeMetrics.Render(SampleRun("evil\"} 1\nsmtpdane_probe_success 1 \\x"), "mx");
            case "failed":
                return ProbeMetrics.Render(run with { Targets = [run.Targets[0] with { Hosts = [] }] }, "mx");
            case "counters":
                var counters = new ExporterCounters();
                counters.Request("/probe");
                counters.Request("/weird\"path");
                counters.ProbeStarted();
                counters.ProbeFinished(success: false);
                counters.CacheHit();
                return counters.Render();
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such exposition");
        }
    }

    /// <summary>promtool check metrics (testbed/install.sh installs the prometheus package).</summary>
    [SkippableTheory]
    [InlineData("verified")]
    [InlineData("mta-sts")]
    [InlineData("hostile")]
    [InlineData("failed")]
    [InlineData("counters")]
    public void Promtool_CheckMetrics_Accepts(string name)
    {
        Skip.IfNot(File.Exists("/usr/bin/promtool"), "/usr/bin/promtool is not installed (testbed/install.sh installs prometheus)");
        var text = Exposition(name);
        using var p = Process.Start(new ProcessStartInfo("/usr/bin/promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        p.StandardInput.Write(text);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(20_000), "promtool hung");

        // promtool exits 3 for lint-only findings (naming advice); 1 is a parse error.
        Assert.True(p.ExitCode is 0 or 3, $"promtool exit {p.ExitCode}: {output}");
        Assert.DoesNotContain("error while linting", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_VerifiedRun_SuccessOneAndPerAddressMetrics()
    {
        var text = Exposition("verified");

        Assert.Contains("smtpdane_probe_success{target=\"example.org\",mode=\"mx\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("smtpdane_dane_verified{target=\"example.org\",host=\"mx.example.org\",address=\"192.0.2.25\",port=\"25\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("smtpdane_tlsa_records{target=\"example.org\",host=\"mx.example.org\",port=\"25\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("smtpdane_ocsp_staple_present{", text, StringComparison.Ordinal);
        Assert.Contains("smtpdane_probe_duration_seconds{target=\"example.org\",mode=\"mx\"} 0.055\n", text, StringComparison.Ordinal);
        AssertValidExposition(text);
    }

    [Fact]
    public void Render_WithMtaSts_PolicyModeCoverageMaxAge()
    {
        var text = Exposition("mta-sts");

        Assert.Contains("smtpdane_mta_sts_policy_valid{target=\"example.org\",mode=\"mx\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("smtpdane_mta_sts_mode{target=\"example.org\",mode=\"mx\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("smtpdane_mta_sts_mx_covered{target=\"example.org\",mode=\"mx\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("smtpdane_mta_sts_max_age_seconds{target=\"example.org\",mode=\"mx\"} 604800\n", text, StringComparison.Ordinal);
        Assert.Contains("smtpdane_tlsrpt_valid{target=\"example.org\",mode=\"mx\"} 0\n", text, StringComparison.Ordinal);
        AssertValidExposition(text);
    }

    [Fact]
    public void Render_HostileHostName_EscapedAndValid()
    {
        var text = Exposition("hostile");

        Assert.Contains("host=\"evil\\\"} 1\\nsmtpdane_probe_success 1 \\\\x\"", text, StringComparison.Ordinal);
        AssertValidExposition(text);
    }

    [Fact]
    public void Render_FailedRun_SuccessZero()
    {
        var text = Exposition("failed");
        Assert.Contains("smtpdane_probe_success{target=\"example.org\",mode=\"mx\"} 0\n", text, StringComparison.Ordinal);
        AssertValidExposition(text);
    }

    [Fact]
    public void Counters_Render_Valid()
    {
        var text = Exposition("counters");
        Assert.Contains("smtpdane_exporter_requests_total{path=\"other\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("smtpdane_exporter_probe_failures_total 1\n", text, StringComparison.Ordinal);
        AssertValidExposition(text);
    }

    [Theory]
    [InlineData("a\\b", "a\\\\b")]
    [InlineData("q\"q", "q\\\"q")]
    [InlineData("l\nl", "l\\nl")]
    [InlineData("t\tt", "t?t")]
    public void EscapeLabel_ExpositionRules(string raw, string escaped) =>
        Assert.Equal(escaped, PrometheusText.EscapeLabel(raw));

    [Fact]
    public void EscapeLabel_LongValue_Capped() =>
        Assert.Equal(PrometheusText.MaxLabelLength, PrometheusText.EscapeLabel(new string('a', 5000)).Length);

    [Theory]
    [InlineData("10", 9.5)]
    [InlineData("2.5", 2.0)]
    [InlineData("0.2", 0.5)]
    public void ScrapeTimeout_HeaderMinusHalfSecond(string header, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ExporterServer.ScrapeTimeout(header));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-3")]
    [InlineData("NaN")]
    public void ScrapeTimeout_Unusable_Null(string? header) =>
        Assert.Null(ExporterServer.ScrapeTimeout(header));
}
