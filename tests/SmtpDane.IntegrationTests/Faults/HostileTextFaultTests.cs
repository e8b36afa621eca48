using SmtpDane.Findings;

using SmtpDane.Tests.Net;

namespace SmtpDane.IntegrationTests.Faults;

/// <summary>
/// Non-UTF-8 bytes, terminal escapes, NUL and the Nagios perfdata separator in the banner and
/// EHLO reply: the probe still verifies, and every renderer escapes what the server sent.
/// </summary>
public class HostileTextFaultTests
{
    private const string Banner = "220 mx.fault.test \u001b[31mRED\u001b]0;pwned\u0007 \u00ff\u00fe\u0000 | perf=1;2 \u0085\u009b2J\r\n";
    private const string Ehlo = "250-mx.fault.test \u001b[2J\u00c3\u0028 |x\r\n250-\u0000\u0001\u007f\r\n250 STARTTLS\r\n";

    [Theory]
    [InlineData("-json")]
    [InlineData("-json-lines")]
    [InlineData("-nocolor")]
    [InlineData("-terse")]
    [InlineData("-debug")]
    [InlineData("-nagios")]
    [InlineData("-show-cert-info")]
    public async Task HostileBannerAndEhlo_VerifiesAndEscapes(string output)
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp(banner: Banner, ehlo: Ehlo));

        var r = await FaultBed.RunAsync($"hostile banner/EHLO text ({output})", server.Port, output: output);

        Assert.True(r.Run.ExitCode == 0, r.Run.Stdout + r.Run.Stderr);
        var all = r.Run.Stdout + r.Run.Stderr;
        Assert.DoesNotContain('\u001b', all);
        Assert.DoesNotContain('\u0000', all);
        Assert.DoesNotContain('\u0007', all);
        Assert.DoesNotContain('\u009b', all);
        Assert.DoesNotContain('\u0085', all);
        switch (output)
        {
            case "-json":
                Assert.Equal("ok", r.Status);
                Assert.Contains(FindingCodes.SmtpBanner, r.Codes);
                break;
            case "-nagios":
                var first = r.Run.Stdout.Split('\n')[0];
                Assert.StartsWith("DANE OK", first, StringComparison.Ordinal);
                Assert.True(first.Count(c => c == '|') <= 1, first);
                Assert.True(r.Run.Stdout.Count(c => c == '|') <= 1, r.Run.Stdout);
                break;
            case "-json-lines":
                foreach (var line in r.Run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    using var doc = System.Text.Json.JsonDocument.Parse(line);
                }

                break;
        }
    }
}
