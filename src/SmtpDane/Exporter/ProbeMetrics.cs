using SmtpDane.Certificates;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.Reporting;


namespace SmtpDane.Exporter;

/// <summary>
/// One /probe answer: a check's result tree as Prometheus metrics, blackbox_exporter style.
/// smtpdane_probe_success is 1 when the verdict is ok or warning (mail flows), 0 on any error,
/// failing closed as the CLI's exit code does.
/// </summary>
public static class ProbeMetrics
{
    public static string Render(RunResult run, string mode)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new PrometheusText();
        var verdict = ExitCodes.EffectiveWorst(run);
        var targetName = run.Targets.Count > 0 ? run.Targets[0].Target.Name : string.Empty;
        (string, string)[] targetLabels = [("target", targetName), ("mode", mode)];
        text.Metric("smtpdane_probe_success", "gauge", "1 if the DANE check passed (ok or warning), 0 on any error.", verdict < Severity.Error ? 1 : 0, targetLabels);
        text.Metric("smtpdane_probe_warning", "gauge", "1 if the check passed with warnings (e.g. certificate expiring, no rollover room).", verdict == Severity.Warning ? 1 : 0, targetLabels);
        text.Metric("smtpdane_probe_duration_seconds", "gauge", "Wall time of the check: DNS discovery and every probe.", Math.Round(run.Duration.TotalSeconds, 6), targetLabels);
        var summary = RunSummary.Of(run);
        text.Metric("smtpdane_probe_errors", "gauge", "Error findings plus fail-closed gaps in the check.", summary.Errors, targetLabels);

        foreach (var target in run.Targets)
        {
            text.Metric("smtpdane_hosts", "gauge", "SMTP hosts found for the target (MX or SRV, or 1 in host mode).", target.Hosts.Count, targetLabels);
            if (target.MtaSts is { } sts)
            {
                // serve -mta-sts: RFC 8461 state of the domain; mode 0 none or no policy, 1 testing, 2 enforce.
                text.Metric("smtpdane_mta_sts_policy_valid", "gauge", "1 if the MTA-STS TXT record points to a policy that was fetched and parsed.", sts.PolicyValid ? 1 : 0, targetLabels);
                text.Metric("smtpdane_mta_sts_mode", "gauge", "MTA-STS policy mode: 0 none (or no valid policy), 1 testing, 2 enforce.", sts.Policy?.Mode switch { StsMode.Enforce => 2, StsMode.Testing => 1, _ => 0 }, targetLabels);
                text.Metric("smtpdane_mta_sts_mx_covered", "gauge", "1 if every MX host matches an mx pattern of the policy (0 when not judged).", sts.MxCovered == true ? 1 : 0, targetLabels);
                text.Metric("smtpdane_mta_sts_max_age_seconds", "gauge", "max_age of the MTA-STS policy (0 when there is none).", sts.Policy?.MaxAgeSeconds ?? 0, targetLabels);
                text.Metric("smtpdane_tlsrpt_valid", "gauge", "1 if exactly one valid TLS-RPT record is published.", sts.TlsRpt == TxtOutcome.Valid ? 1 : 0, targetLabels);
            }

            foreach (var host in target.Hosts)
            {
                (string, string)[] hostLabels = [("target", targetName), ("host", host.Name), ("port", Port(host.Port))];
                text.Metric("smtpdane_tlsa_records", "gauge", "TLSA records published for the host (usable or not).", host.Tlsa.Count, hostLabels);
                foreach (var address in host.Addresses)
                {
                    (string, string)[] labels = [("target", targetName), ("host", host.Name), ("address", address.Address.ToString()), ("port", Port(address.Port))];
                    text.Metric("smtpdane_dane_verified", "gauge", "1 if the address presented a certificate its TLSA records verify.", address.Verified ? 1 : 0, labels);
                    if (address.Tls is not { } tls)
                    {
                        continue;
                    }

                    if (NotAfter(tls) is { } notAfter)
                    {
                        text.Metric("smtpdane_cert_not_after_seconds", "gauge", "Leaf certificate expiry, Unix seconds.", notAfter.ToUnixTimeSeconds(), labels);
                    }

                    text.Metric("smtpdane_ocsp_staple_present", "gauge", "1 if the server stapled an OCSP response.", tls.OcspStaple is { Length: > 0 } ? 1 : 0, labels);
                    text.Metric("smtpdane_tls_handshake_seconds", "gauge", "TLS handshake time.", Math.Round(tls.HandshakeTime.TotalSeconds, 6), labels);
                }
            }
        }

        return text.ToString();
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset? NotAfter(TlsSummary tls)
    {
        if (tls.Certificates.Count == 0)
        {
            return null;
        }

        try
        {
            return CertificateFacts.Parse(tls.Certificates[0]).NotAfter;
        }
        catch (CertificateParseException)
        {
            return null;
        }
    }
}
