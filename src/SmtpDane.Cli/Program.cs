using System.Collections;
using System.Runtime.InteropServices;
using SmtpDane.Cli;

using var cts = new CancellationTokenSource();

// SIGINT and SIGTERM (systemd stopping `serve`, a monitor killing a check) end the run through
// cancellation, so probes close their connections and the exit code is still decided by us.
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cts.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
{
    environment[(string)entry.Key] = entry.Value as string;
}

return await CommandLineApp.RunAsync(
    args, Console.In, Console.Out, Console.Error, environment, !Console.IsOutputRedirected, !Console.IsErrorRedirected, cts.Token).ConfigureAwait(false);
