using System.Text;

namespace SmtpDane.IntegrationTests;

/// <summary>
/// Runs posttls-finger (an independent DANE implementation) against every mx-mode scenario and
/// checks that the test bed behaves as scenarios.tsv says. Observed verdicts are written to
/// testbed/run/posttls-finger.tsv (raw outputs to testbed/run/posttls-finger-out/).
/// </summary>
public class PosttlsFingerTests
{
    [TestbedFact]
    public async Task PosttlsFinger_EveryMxScenario_GivesTabulatedVerdict()
    {
        var scenarios = ScenarioTable.Load().Where(s => s.Mode == ScenarioMode.Mx && s.PosttlsFinger is not null).ToList();
        Assert.NotEmpty(scenarios);
        var outDir = Path.Combine(Testbed.RunDirectory, "posttls-finger-out");
        Directory.CreateDirectory(outDir);
        var tsv = new StringBuilder("id\targument\texpected\tobserved\tsummary\n");
        var mismatches = new List<string>();
        foreach (var s in scenarios)
        {
            var r = await PosttlsFinger.RunAsync(s.Argument);
            await File.WriteAllTextAsync(Path.Combine(outDir, s.Id + ".out"), r.Output);
            var summary = r.Summary.Replace('\t', ' ');
            tsv.Append($"{s.Id}\t{s.Argument}\t{ScenarioTable.Format(s.PosttlsFinger)}\t{ScenarioTable.Format(r.Verdict)}\t{summary}\n");
            if (r.Verdict != s.PosttlsFinger)
            {
                mismatches.Add($"{s.Id} (line {s.Line}): expected {ScenarioTable.Format(s.PosttlsFinger)}, observed {ScenarioTable.Format(r.Verdict)}: {summary}");
            }
        }

        await File.WriteAllTextAsync(Path.Combine(Testbed.RunDirectory, "posttls-finger.tsv"), tsv.ToString());
        Assert.True(mismatches.Count == 0, "posttls-finger disagrees with scenarios.tsv:\n" + string.Join('\n', mismatches));
    }

    [Theory]
    [InlineData("posttls-finger: Verified TLS connection established to mx.a.test[127.0.0.11]:25: TLSv1.3", ScenarioVerdict.Ok)]
    [InlineData("posttls-finger: server certificate verification failed for mx.a.test[127.0.0.17]:25: num=65:no matching DANE TLSA records\nposttls-finger: Untrusted TLS connection established to mx.a.test[127.0.0.17]:25: TLSv1.3", ScenarioVerdict.Error)]
    [InlineData("posttls-finger: certificate verification failed for mx.a.test[127.0.0.23]:25: untrusted issuer /CN=Root\nposttls-finger: Untrusted TLS connection established to mx.a.test[127.0.0.23]:25: TLSv1.3", ScenarioVerdict.Warning)]
    [InlineData("posttls-finger: Destination address lookup failed: Host or domain name not found. Name service error for name=a.test type=MX: Host not found, try again", ScenarioVerdict.Error)]
    [InlineData("posttls-finger: Destination address lookup failed: Domain a.test does not accept mail (nullMX)", ScenarioVerdict.Warning)]
    [InlineData("", ScenarioVerdict.Error)]
    public void Classify_SampleOutput_GivesVerdict(string output, ScenarioVerdict expected)
    {
        Assert.Equal(expected, PosttlsFinger.Classify(output).Verdict);
    }
}
