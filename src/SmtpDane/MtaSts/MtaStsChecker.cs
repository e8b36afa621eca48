using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.MtaSts;

/// <summary>
/// The domain-level MTA-STS and TLS-RPT checks: the "_mta-sts" TXT record (RFC 8461 §3.1), the
/// policy fetch (§3.3) and parse (§3.2), and the "_smtp._tls" record (RFC 8460 §3). MTA-STS does
/// not rely on DNSSEC, so insecure answers count; bogus or failed lookups do not. Never throws
/// but for cancellation.
/// </summary>
public sealed class MtaStsChecker
{
    private readonly IDnsResolver _dns;
    private readonly StsPolicyFetcher _fetcher;

    public MtaStsChecker(IDnsResolver dns, StsPolicyFetcher fetcher)
    {
        _dns = dns;
        _fetcher = fetcher;
    }

    public async Task<MtaStsResult> CheckAsync(string domain, CancellationToken ct)
    {
        domain = domain.Trim().TrimEnd('.').ToLowerInvariant();
        var stsTask = QueryAsync("_mta-sts." + domain, ct);
        var rptTask = QueryAsync("_smtp._tls." + domain, ct);
        var stsAnswer = await stsTask.ConfigureAwait(false);
        var rptAnswer = await rptTask.ConfigureAwait(false);

        var findings = new List<Finding>();
        var (txt, id, fetch, policy) = await PolicyAsync(domain, stsAnswer, findings, ct).ConfigureAwait(false);
        var (rpt, rua) = TlsRpt(domain, rptAnswer, findings);
        return new MtaStsResult(domain, txt, id, fetch, policy, rpt, rua, findings);
    }

    private async Task<DnsAnswer<string>> QueryAsync(string name, CancellationToken ct)
    {
        try
        {
            return await _dns.QueryTxtAsync(name, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return DnsAnswer<string>.Failed(name, $"internal resolver error ({e.GetType().Name}: {e.Message})");
        }
    }

    private async Task<(TxtOutcome, string?, StsFetch?, StsPolicy?)> PolicyAsync(string domain, DnsAnswer<string> answer, List<Finding> findings, CancellationToken ct)
    {
        var owner = "_mta-sts." + domain;
        if (answer.Outcome == DnsOutcome.Failed || answer.Security == DnsSecurity.Bogus)
        {
            findings.Add(Finding.Error(
                FindingCodes.StsTxtLookupFailed,
                $"TXT lookup for \"{owner}\" failed: {answer.Failure ?? "DNSSEC bogus"}; senders cannot see an MTA-STS policy, fix the DNS"));
            return (TxtOutcome.Invalid, null, null, null);
        }

        var selection = StsTxtRecord.Select(answer.Records);
        switch (selection.Outcome)
        {
            case TxtOutcome.None:
                findings.Add(Finding.Info(
                    FindingCodes.StsNone,
                    $"\"{domain}\" publishes no MTA-STS record at \"{owner}\" (RFC 8461 §3.1): MTA-STS is not in use"));
                return (TxtOutcome.None, null, null, null);
            case TxtOutcome.Invalid:
                findings.Add(Finding.Error(
                    FindingCodes.StsTxtInvalid,
                    $"the MTA-STS record at \"{owner}\" is invalid: {selection.Error}; senders ignore it, publish exactly one \"v=STSv1; id=<1-32 letters and digits>\"",
                    selection.Record is null ? null : new Dictionary<string, string> { ["record"] = selection.Record }));
                return (TxtOutcome.Invalid, null, null, null);
        }

        findings.Add(Finding.Info(
            FindingCodes.StsTxtFound,
            $"\"{owner}\" has the MTA-STS record \"{selection.Record}\" (id {selection.Value})",
            new Dictionary<string, string> { ["id"] = selection.Value!, ["record"] = selection.Record! }));

        var fetch = await _fetcher.FetchAsync(domain, ct).ConfigureAwait(false);
        var data = new Dictionary<string, string> { ["url"] = fetch.Url };
        var fix = "senders see no policy while the TXT record announces one";
        switch (fetch.Outcome)
        {
            case StsFetchOutcome.Redirect:
                findings.Add(Finding.Error(FindingCodes.StsPolicyRedirect, $"{fetch.Url} answered with a {fetch.Problem}; senders must not follow redirects (RFC 8461 §3.3): serve the policy directly", data));
                return (TxtOutcome.Valid, selection.Value, fetch, null);
            case StsFetchOutcome.TooLarge:
                findings.Add(Finding.Error(FindingCodes.StsPolicyTooLarge, $"the policy at {fetch.Url} is too large ({fetch.Problem}); {fix}, serve a policy under {StsPolicyFetcher.MaxBodyBytes / 1024} KiB", data));
                return (TxtOutcome.Valid, selection.Value, fetch, null);
            case StsFetchOutcome.CertificateInvalid:
                findings.Add(Finding.Error(FindingCodes.StsPolicyCertInvalid, $"the policy host \"{StsPolicyFetcher.PolicyHost(domain)}\" has no Web-PKI-valid certificate: {fetch.Problem}; {fix} (RFC 8461 §3.3), install a valid certificate for that name", data));
                return (TxtOutcome.Valid, selection.Value, fetch, null);
            case StsFetchOutcome.Failed:
                findings.Add(Finding.Error(FindingCodes.StsPolicyFetchFailed, $"cannot fetch the policy {fetch.Url}: {fetch.Problem}; {fix}, serve it (text/plain, status 200)", data));
                return (TxtOutcome.Valid, selection.Value, fetch, null);
        }

        var parsed = StsPolicyParser.Parse(fetch.Body!);
        if (parsed.Policy is not { } policy)
        {
            findings.Add(Finding.Error(FindingCodes.StsPolicyInvalid, $"the policy at {fetch.Url} is invalid: {parsed.Error}; {fix}, fix it (RFC 8461 §3.2)", data));
            return (TxtOutcome.Valid, selection.Value, fetch, null);
        }

        var mode = StsPolicy.ModeWord(policy.Mode);
        data["mode"] = mode;
        data["max_age"] = policy.MaxAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        data["mx"] = string.Join(" ", policy.MxPatterns);
        findings.Add(Finding.Success(
            FindingCodes.StsPolicy,
            $"MTA-STS policy of \"{domain}\": mode {mode}, max_age {policy.MaxAgeSeconds}s, mx {(policy.MxPatterns.Count == 0 ? "(none)" : string.Join(", ", policy.MxPatterns))}",
            data));
        if (policy.Mode == StsMode.None)
        {
            findings.Add(Finding.Info(FindingCodes.StsModeNone, $"the MTA-STS policy of \"{domain}\" has mode none: senders treat the domain as having no policy (RFC 8461 §5)"));
        }
        else if (policy.MaxAgeSeconds < StsPolicy.ShortMaxAge)
        {
            findings.Add(Finding.Warning(
                FindingCodes.StsMaxAgeShort,
                $"the MTA-STS policy of \"{domain}\" has max_age {policy.MaxAgeSeconds}s, under one day: cached so briefly it protects almost nothing against a downgrade (RFC 8461 §10.2); use at least 86400, better 604800 or more"));
        }

        return (TxtOutcome.Valid, selection.Value, fetch, policy);
    }

    private static (TxtOutcome, string?) TlsRpt(string domain, DnsAnswer<string> answer, List<Finding> findings)
    {
        var owner = "_smtp._tls." + domain;
        if (answer.Outcome == DnsOutcome.Failed || answer.Security == DnsSecurity.Bogus)
        {
            findings.Add(Finding.Warning(
                FindingCodes.TlsRptLookupFailed,
                $"TXT lookup for \"{owner}\" failed: {answer.Failure ?? "DNSSEC bogus"}; senders cannot send TLS reports, fix the DNS"));
            return (TxtOutcome.Invalid, null);
        }

        var selection = TlsRptRecord.Select(answer.Records);
        switch (selection.Outcome)
        {
            case TxtOutcome.None:
                findings.Add(Finding.Info(
                    FindingCodes.TlsRptNone,
                    $"\"{domain}\" publishes no TLS-RPT record at \"{owner}\" (RFC 8460 §3): senders send no reports of TLS failures; consider \"v=TLSRPTv1; rua=mailto:...\""));
                return (TxtOutcome.None, null);
            case TxtOutcome.Invalid:
                findings.Add(Finding.Warning(
                    FindingCodes.TlsRptInvalid,
                    $"the TLS-RPT record at \"{owner}\" is invalid: {selection.Error}; senders send no reports until it is \"v=TLSRPTv1; rua=mailto:... or https://...\"",
                    selection.Record is null ? null : new Dictionary<string, string> { ["record"] = selection.Record }));
                return (TxtOutcome.Invalid, null);
            default:
                findings.Add(Finding.Info(
                    FindingCodes.TlsRptFound,
                    $"\"{owner}\" has the TLS-RPT record \"{selection.Record}\": reports go to {selection.Value}",
                    new Dictionary<string, string> { ["rua"] = selection.Value!, ["record"] = selection.Record! }));
                return (TxtOutcome.Valid, selection.Value);
        }
    }
}
