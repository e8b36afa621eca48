using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.MtaSts;

namespace SmtpDane.Probing;

/// <summary>
/// Judges the probed MX hosts of one domain against its MTA-STS policy (RFC 8461 §4.1) and adds
/// the findings to the result tree: the domain's MTA-STS/TLS-RPT findings on the target, MX
/// coverage on each host, Web-PKI validity of the certificate on each address. A failure is an
/// error in enforce mode and a warning in testing mode; mode none judges nothing.
/// When DANE is not in effect for a host (no usable or no secure TLSA, or insecure MX records)
/// but a valid enforce policy covers every MX and every address passed Web PKI, that host's
/// "DANE not in effect" errors become warnings and <see cref="FindingCodes.StsProtects"/> says
/// so: senders that honour MTA-STS (most large providers) still refuse a downgrade. Hosts whose
/// DANE fails (wrong records, expired, ...) stay errors: DANE-aware senders defer their mail.
/// </summary>
public static class StsVerdict
{
    /// <summary>Codes meaning "DANE is not in effect here" (not: "DANE fails").</summary>
    private static readonly HashSet<string> NotInEffect =
    [
        FindingCodes.MxInsecure, FindingCodes.TlsaNone, FindingCodes.TlsaInsecure, FindingCodes.TlsaAllUnusable, FindingCodes.DaneNotVerified,
    ];

    public static TargetResult Apply(TargetResult target, MtaStsResult sts)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sts);
        var targetFindings = new List<Finding>(target.Findings);
        targetFindings.AddRange(sts.Findings);
        if (!sts.Active)
        {
            return target with { Findings = targetFindings, MtaSts = sts };
        }

        var policy = sts.Policy!;
        var failure = policy.Mode == StsMode.Enforce ? Severity.Error : Severity.Warning;
        var consequence = policy.Mode == StsMode.Enforce ? "senders that honour MTA-STS refuse to deliver to it" : "mode testing: senders only report it";
        var allCovered = target.Hosts.Count > 0;
        var allValid = target.Hosts.Count > 0;
        var hosts = new List<HostResult>();
        foreach (var host in target.Hosts)
        {
            var hostFindings = new List<Finding>(host.Findings);
            var pattern = StsMxMatcher.Covering(policy, host.Name);
            if (pattern is null)
            {
                allCovered = false;
                hostFindings.Add(new Finding(
                    failure,
                    FindingCodes.StsMxNotCovered,
                    $"MX host \"{host.Name}\" matches no mx pattern of the MTA-STS policy ({string.Join(", ", policy.MxPatterns)}); {consequence}; add it to the policy (and change the TXT id)"));
            }
            else
            {
                hostFindings.Add(Finding.Info(FindingCodes.StsMxCovered, $"MX host \"{host.Name}\" matches the MTA-STS pattern \"{pattern}\""));
            }

            var addresses = new List<AddressResult>();
            foreach (var address in host.Addresses)
            {
                if (address.WebPki is not { } web)
                {
                    allValid = false; // no certificate seen: the probe's own error says why
                    addresses.Add(address);
                    continue;
                }

                var where = $"\"{host.Name}\"[{address.Address}]:{address.Port}";
                allValid &= web.Valid;
                addresses.Add(address with
                {
                    Findings = [.. address.Findings, web.Valid
                        ? Finding.Success(FindingCodes.StsMxCertValid, $"{where}: the certificate is valid under the Web PKI for \"{host.Name}\" (MTA-STS)")
                        : new Finding(failure, FindingCodes.StsMxCertInvalid, $"{where}: the certificate is not valid under the Web PKI for \"{host.Name}\": {web.Problem}; {consequence} (RFC 8461 §4.1), use a publicly trusted certificate for the MX name")],
                });
            }

            hosts.Add(host with { Findings = hostFindings, Addresses = addresses });
        }

        var judged = sts with { MxCovered = allCovered, MxWebPkiValid = allValid };
        var result = target with { Findings = targetFindings, Hosts = hosts, MtaSts = judged };
        return policy.Mode == StsMode.Enforce && allCovered && allValid ? StandIn(result) : result;
    }

    /// <summary>Downgrades "DANE not in effect" errors of hosts without DANE, when a valid enforce policy protects them.</summary>
    private static TargetResult StandIn(TargetResult target)
    {
        var mxInsecure = target.Findings.Any(f => f.Code == FindingCodes.MxInsecure);
        var protectedHosts = new List<string>();
        var hosts = target.Hosts.Select(host =>
        {
            var withoutDane = mxInsecure || host.Findings.Any(f => f.Code is FindingCodes.TlsaNone or FindingCodes.TlsaInsecure or FindingCodes.TlsaAllUnusable);
            if (!withoutDane)
            {
                return host;
            }

            protectedHosts.Add(host.Name);
            return host with
            {
                Findings = Downgrade(host.Findings),
                Addresses = [.. host.Addresses.Select(a => a with { Findings = Downgrade(a.Findings), StsProtected = true })],
            };
        }).ToList();
        if (protectedHosts.Count == 0)
        {
            return target;
        }

        var findings = Downgrade(target.Findings).ToList();
        findings.Add(Finding.Warning(
            FindingCodes.StsProtects,
            $"DANE not in effect for {string.Join(", ", protectedHosts.Select(h => $"\"{h}\""))}; MTA-STS protects it: the enforce policy covers every MX and every certificate is Web-PKI valid, so senders that honour MTA-STS refuse a downgrade; DANE-only senders do not, publish TLSA records to protect them too"));
        return target with
        {
            Findings = findings,
            Hosts = hosts,
            MtaSts = target.MtaSts! with { ProtectsInsteadOfDane = true },
        };
    }

    private static IReadOnlyList<Finding> Downgrade(IReadOnlyList<Finding> findings) =>
        [.. findings.Select(f => f.Severity == Severity.Error && NotInEffect.Contains(f.Code) ? f with { Severity = Severity.Warning } : f)];
}
