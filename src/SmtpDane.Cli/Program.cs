using System.Collections;
using SmtpDane.Cli;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
{
    environment[(string)entry.Key] = entry.Value as string;
}

return await CommandLineApp.RunAsync(args, Console.Out, Console.Error, environment, !Console.IsOutputRedirected, cts.Token).ConfigureAwait(false);
