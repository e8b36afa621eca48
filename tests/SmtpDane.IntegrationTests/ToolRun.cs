using System.Text.Json;
using SmtpDane.Cli;

namespace SmtpDane.IntegrationTests;

/// <summary>Runs the whole program in-process (as GitVersion's ProgramFixture) and captures its output.</summary>
public sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    public static async Task<ToolRun> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var code = await CommandLineApp.RunAsync(
            args, stdout, stderr, environment ?? new Dictionary<string, string?>(), stdoutIsTerminal: false, cts.Token);
        return new ToolRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Every "code" property anywhere in a JSON document.</summary>
    public static HashSet<string> FindingCodes(JsonElement element)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        Collect(element, codes);
        return codes;
    }

    private static void Collect(JsonElement e, HashSet<string> codes)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name == "code" && p.Value.ValueKind == JsonValueKind.String)
                    {
                        codes.Add(p.Value.GetString()!);
                    }

                    Collect(p.Value, codes);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    Collect(item, codes);
                }

                break;
        }
    }
}
