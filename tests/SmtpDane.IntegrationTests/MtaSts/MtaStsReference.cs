using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SmtpDane.IntegrationTests.MtaSts;

/// <summary>
/// Runs Debian's mta-sts-query (postfix-mta-sts-resolver), the reference for policy fetch and
/// parse, with the test CA as its trust store (it uses OpenSSL's default verify paths), and
/// reduces its answer to "VALID mode max_age mx,..." / "FETCH_ERROR" / "NONE".
/// </summary>
public static partial class MtaStsReference
{
    public const string Program = "/usr/bin/mta-sts-query";

    public static async Task<string> QueryAsync(string domain)
    {
        var start = new ProcessStartInfo(Program, [domain]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["SSL_CERT_FILE"] = Testbed.CaBundlePath;
        using var process = Process.Start(start)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        return Reduce(await stdout + await stderr);
    }

    /// <summary>From "(&lt;STSFetchResult.VALID: 1&gt;, ('id', {'mx': [...], 'version': 'STSv1', 'mode': 'enforce', 'max_age': 604800}))".</summary>
    public static string Reduce(string output)
    {
        if (output.Contains("STSFetchResult.FETCH_ERROR", StringComparison.Ordinal))
        {
            return "FETCH_ERROR";
        }

        if (output.Contains("STSFetchResult.NONE", StringComparison.Ordinal))
        {
            return "NONE";
        }

        var m = Valid().Match(output);
        if (!m.Success)
        {
            return "UNPARSED: " + output.Trim();
        }

        var mx = Regex.Matches(m.Groups["mx"].Value, "'([^']*)'").Select(x => x.Groups[1].Value).ToList();
        return $"VALID {m.Groups["mode"].Value} {m.Groups["age"].Value} {(mx.Count == 0 ? "-" : string.Join(",", mx))}";
    }

    [GeneratedRegex(@"STSFetchResult\.VALID.*'mx': \[(?<mx>[^\]]*)\].*'mode': '(?<mode>[a-z]+)'.*'max_age': (?<age>\d+)")]
    private static partial Regex Valid();
}
