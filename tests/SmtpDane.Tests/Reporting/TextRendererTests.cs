using System.Net;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.Reporting;

namespace SmtpDane.Tests.Reporting;

public class TextRendererTests
{
    [Fact]
    public void Render_QuietAndOk_PrintsNothing()
    {
        Assert.Equal("", Render(ReportFixtures.Verified(), new OutputOptions { Quiet = true }));
    }

    [Fact]
    public void Render_QuietButUnverified_PrintsTerse()
    {
        var address = new AddressResult(IPAddress.Parse("192.0.2.1"), 25, [], null, TimeSpan.Zero);
        var host = new HostResult("mx.example.org", 25, null, false, [], null, [], [address]);
        var result = new RunResult([new TargetResult(new Target("mx.example.org", TargetMode.Host, "mx.example.org", null), [], [host])], [], ReportFixtures.Started, TimeSpan.Zero);

        Assert.Equal("[mx.example.org 25 192.0.2.1] DANE NOT verified\n", Render(result, new OutputOptions { Quiet = true }));
    }

    [Fact]
    public void Render_OcspInfo_HiddenUnlessAsked()
    {
        Assert.DoesNotContain("no OCSP staple", Render(ReportFixtures.Verified(), new OutputOptions()), StringComparison.Ordinal);
        Assert.Contains("no OCSP staple", Render(ReportFixtures.Verified(), new OutputOptions { ExpectOcsp = true }), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Colour_OnlyWhenAsked()
    {
        Assert.DoesNotContain('\u001b', Render(ReportFixtures.Failing(), new OutputOptions()));
        Assert.Contains(Ansi.Red + "ERROR", Render(ReportFixtures.Failing(), new OutputOptions { Color = true }), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HostWithoutAddresses_SaysSo()
    {
        var host = new HostResult("mx.example.org", 25, 10, false, [], null, [], []);
        var target = new TargetResult(new Target("example.org", TargetMode.Mx, "example.org", null), [], [host]);
        var text = Render(new RunResult([target], [], ReportFixtures.Started, TimeSpan.Zero), new OutputOptions());

        Assert.Contains("=> no address to probe for mx.example.org:25", text, StringComparison.Ordinal);
        Assert.EndsWith("0 probes: 0 verified, 0 warnings, 1 error\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TerseShowCertInfo_AfterVerdicts()
    {
        var text = Render(ReportFixtures.Warning(), new OutputOptions { Terse = true, ShowCertInfo = true });

        Assert.Contains("mx.warn.example[198.51.100.7]:25:\n  TLS: TLSv1.3 TLS_AES_256_GCM_SHA384", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ExpectOcsp_ShowsStapleDetailsUnderTheFinding()
    {
        var text = Render(ReportFixtures.Verified(), new OutputOptions { ExpectOcsp = true });

        Assert.Contains(
            "ok    OCSP staple: good\n            OCSP staple: status good, serial 1002, producedAt 2025-06-01T06:00:00Z, thisUpdate 2025-06-01T06:00:00Z, nextUpdate 2025-06-08T06:00:00Z\n",
            text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShowCertInfo_PutsStapleDetailsInTheCertificateBlock()
    {
        var text = Render(ReportFixtures.Verified(), new OutputOptions { ShowCertInfo = true, ExpectOcsp = true });

        Assert.Contains("OCSP staple: present (5 bytes): status good, serial 1002, producedAt 2025-06-01T06:00:00Z,", text, StringComparison.Ordinal);
        Assert.DoesNotContain("            OCSP staple: status", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderAndGetExitCode_Debug_WritesEscapedTranscriptToStderrOnly()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        ReportWriter.RenderAndGetExitCode(ReportFixtures.Malicious(), new OutputOptions { Debug = true }, stdout, stderr);

        var debug = stderr.ToString();
        Assert.StartsWith("smtpdane: debug: SMTP transcript of evil\\x1b[0m|.example[192.0.2.66]:25\n  S: 220 \\x1b[2J", debug, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', debug);
        Assert.DoesNotContain('\u0007', debug);
        Assert.DoesNotContain('\r', debug);
        Assert.EndsWith("  (transcript truncated: further lines were not recorded)\n", debug, StringComparison.Ordinal);
        Assert.DoesNotContain("SMTP transcript", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RenderAndGetExitCode_NoDebug_WritesNothingToStderr()
    {
        var stderr = new StringWriter();

        ReportWriter.RenderAndGetExitCode(ReportFixtures.Failing(), new OutputOptions(), new StringWriter(), stderr);

        Assert.Equal("", stderr.ToString());
    }

    private static string Render(RunResult result, OutputOptions options)
    {
        var output = new StringWriter();
        ReportWriter.Render(result, options, output);
        return output.ToString();
    }
}
