using SmtpDane.Certificates;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.MtaSts;
using SmtpDane.Net;

namespace SmtpDane.Probing;

/// <summary>
/// Wires -mta-sts into a run (one-shot, batch, exporter): the Web PKI validator over the system
/// bundle plus -ca-file, the checker, and running it for an MX target under the run's deadline,
/// turning a timeout or an unexpected exception into an error finding (fail closed).
/// </summary>
internal static class StsSetup
{
    public static WebPkiValidator? Validator(ProbeSettings settings, TimeProvider time) =>
        settings.MtaSts ? new WebPkiValidator(WebPkiTrust.Load(settings.CaFiles, useSystem: true), time) : null;

    public static MtaStsChecker? Checker(ProbeSettings settings, IDnsResolver dns, IConnector connector, WebPkiValidator? web, TimeProvider time) =>
        web is null ? null : new MtaStsChecker(dns, new StsPolicyFetcher(dns, connector, web, settings.StepTimeout, time));

    public static async Task<MtaStsResult?> CheckAsync(MtaStsChecker? checker, Target target, Func<string, Finding> timedOut, CancellationToken deadline, CancellationToken userCt)
    {
        if (checker is null || target.Mode != TargetMode.Mx)
        {
            return null;
        }

        var domain = target.Name.Trim().TrimEnd('.').ToLowerInvariant();
        var what = $"the MTA-STS check of \"{domain}\"";
        try
        {
            return await checker.CheckAsync(domain, deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!userCt.IsCancellationRequested)
        {
            return Failed(domain, timedOut(what));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Failed(domain, RunFailures.Internal(what, e));
        }
    }

    public static TargetResult Judge(TargetResult target, MtaStsResult? sts) =>
        sts is null ? target : StsVerdict.Apply(target, sts);

    private static MtaStsResult Failed(string domain, Finding why) =>
        new(domain, TxtOutcome.Invalid, null, null, null, TxtOutcome.Invalid, null, [why]);
}
