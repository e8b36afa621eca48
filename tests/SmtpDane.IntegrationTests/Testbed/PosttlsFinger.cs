using System.Diagnostics;

namespace SmtpDane.IntegrationTests;

/// <summary>Result of one posttls-finger run.</summary>
/// <param name="Verdict">Classified verdict.</param>
/// <param name="Summary">The line the verdict was drawn from (or a short description).</param>
/// <param name="Output">Everything posttls-finger printed.</param>
public sealed record PosttlsFingerResult(ScenarioVerdict Verdict, string Summary, string Output);

/// <summary>
/// Runs Postfix's posttls-finger as an independent DANE reference (inside the test bed) and
/// classifies its output: Verified on every connection = ok; TLS without DANE
/// authentication because no usable TLSA records exist (or the zone is insecure) = warning;
/// null MX = warning; a DANE failure, no TLS, a failed connection or failed lookup = error.
/// </summary>
public static class PosttlsFinger
{
    /// <summary>posttls-finger's own configuration directory (written by up.sh).</summary>
    public static string ConfigDirectory => Path.Combine(Testbed.RunDirectory, "posttls-finger-client");

    /// <summary>Runs <c>posttls-finger -c -l dane -t 10 -T 10 destination</c>.</summary>
    public static async Task<PosttlsFingerResult> RunAsync(string destination, CancellationToken cancellationToken = default)
    {
        var exe = File.Exists("/usr/sbin/posttls-finger") ? "/usr/sbin/posttls-finger" : "posttls-finger";
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-c", "-l", "dane", "-t", "10", "-T", "10", destination })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["MAIL_CONFIG"] = ConfigDirectory;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start posttls-finger");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"posttls-finger {destination} did not finish within 90 s");
        }

        var output = (await stdout) + (await stderr);
        if (output.Contains("posttls-finger: fatal:", StringComparison.Ordinal))
        {
            // A broken run (configuration, usage) is not a verdict about the server.
            throw new InvalidOperationException($"posttls-finger {destination} failed: {output.Trim()}");
        }

        return Classify(output);
    }

    /// <summary>Classifies posttls-finger output (see the class summary).</summary>
    public static PosttlsFingerResult Classify(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var nullMx = Array.Find(lines, l => l.Contains("(nullMX)", StringComparison.Ordinal));
        if (nullMx is not null)
        {
            return new PosttlsFingerResult(ScenarioVerdict.Warning, nullMx, output);
        }

        var established = lines.Where(l => l.Contains(" TLS connection established", StringComparison.Ordinal)).ToList();
        if (established.Count == 0)
        {
            var why = lines.FirstOrDefault(l => l.Contains("failed", StringComparison.OrdinalIgnoreCase))
                ?? lines.FirstOrDefault()
                ?? "no output (no TLS: server offers no STARTTLS or no connection)";
            return new PosttlsFingerResult(ScenarioVerdict.Error, why, output);
        }

        var unverified = established.FirstOrDefault(l => !l.Contains("Verified TLS connection established", StringComparison.Ordinal));
        if (unverified is null)
        {
            return new PosttlsFingerResult(ScenarioVerdict.Ok, established[0], output);
        }

        // A DANE failure reads "server certificate verification failed ... num=65:no matching
        // DANE TLSA records" / "hostname mismatch" / "certificate has expired". Without usable
        // TLSA records posttls-finger falls back to the "secure" level, which (having no CAfile)
        // reports only "certificate verification failed ... untrusted issuer".
        var daneFailure = lines.FirstOrDefault(l =>
            l.Contains("verification failed", StringComparison.Ordinal)
            && !l.Contains("untrusted issuer", StringComparison.Ordinal));
        return daneFailure is not null
            ? new PosttlsFingerResult(ScenarioVerdict.Error, daneFailure, output)
            : new PosttlsFingerResult(ScenarioVerdict.Warning, unverified, output);
    }
}
