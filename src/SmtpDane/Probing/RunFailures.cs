using System.Net;
using SmtpDane.Discovery;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Probing;

/// <summary>
/// How a run reports work that did not finish, shared by one-shot and batch runs so that both
/// fail closed the same way: a timeout or an unexpected exception becomes an error finding on the
/// target or address it belongs to, never an escaping exception.
/// </summary>
internal static class RunFailures
{
    /// <param name="deadline">Which deadline fired, as the operator set it ("overall deadline").</param>
    public static Finding TimedOut(string what, string deadline, TimeSpan limit) =>
        Finding.Error(FindingCodes.RunTimeout, $"{what} did not finish within the {deadline} ({limit.TotalSeconds:0.###}s); raise -timeout or find what is slow");

    public static Finding Internal(string what, Exception e) =>
        Finding.Error(FindingCodes.RunInternalError, $"{what} failed unexpectedly: {e.GetType().Name}: {e.Message}");

    /// <summary>An address whose probe did not finish: the finding says why, nothing else is known.</summary>
    public static AddressResult Unfinished(DiscoveredHost host, IPAddress address, Finding why) =>
        new(address, host.Port, [why], null, TimeSpan.Zero);

    /// <summary>
    /// Discovers one target; when <paramref name="deadline"/> fires (and the user did not cancel)
    /// or discovery throws, returns instead the target's result carrying that error.
    /// </summary>
    public static async Task<(DiscoveredTarget? Discovered, TargetResult? Failed)> DiscoverAsync(
        IDnsResolver dns,
        ProbeSettings settings,
        Target target,
        Func<string, Finding> timedOut,
        CancellationToken deadline,
        CancellationToken userCt)
    {
        var what = $"DNS discovery for \"{target.Name}\"";
        try
        {
            return (await new TargetDiscoverer(dns, settings).DiscoverAsync(target, deadline).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (!userCt.IsCancellationRequested)
        {
            return (null, new TargetResult(target, [timedOut(what)], []));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, new TargetResult(target, [Internal(what, e)], []));
        }
    }
}
