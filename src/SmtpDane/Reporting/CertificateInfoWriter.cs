using SmtpDane.Certificates;
using SmtpDane.Findings;

namespace SmtpDane.Reporting;

/// <summary>-show-cert-info and -showcerts blocks of the text output. Never throws on bad certificates.</summary>
internal static class CertificateInfoWriter
{
    /// <param name="ocsp">The staple's details from <see cref="OcspDetails.Describe"/>, if known.</param>
    public static void WriteInfo(TextWriter w, TlsSummary tls, string indent, string? ocsp = null)
    {
        Line(w, $"{indent}TLS: {HostileText.ForTerminal(tls.Version, 40)} {HostileText.ForTerminal(tls.CipherSuite, 80)}, handshake {Labels.Seconds(tls.HandshakeTime)}");
        var details = ocsp is null ? "" : $": {ocsp}";
        Line(w, $"{indent}OCSP staple: {(tls.OcspStaple is { Length: > 0 } staple ? $"present ({staple.Length} bytes){details}" : "none")}");
        if (tls.Certificates.Count == 0)
        {
            Line(w, $"{indent}no certificates presented");
        }

        for (var i = 0; i < tls.Certificates.Count; i++)
        {
            CertificateFacts facts;
            try
            {
                facts = CertificateFacts.Parse(tls.Certificates[i]);
            }
            catch (CertificateParseException e)
            {
                Line(w, $"{indent}certificate [{i}]: cannot parse: {HostileText.ForTerminal(e.Message, 300)}");
                continue;
            }

            var more = indent + "  ";
            Line(w, $"{indent}certificate [{i}] CN={Cn(facts)}{(facts.IsCa ? " (CA)" : "")}");
            Line(w, $"{more}subject: {HostileText.ForTerminal(facts.Subject, 500)}");
            Line(w, $"{more}issuer: {HostileText.ForTerminal(facts.Issuer, 500)}");
            if (facts.DnsNames.Count > 0)
            {
                Line(w, $"{more}DNS SANs: {Join(facts.DnsNames)}");
            }

            if (facts.IpAddresses.Count > 0)
            {
                Line(w, $"{more}IP SANs: {Join(facts.IpAddresses)}");
            }

            Line(w, $"{more}valid: {Labels.Utc(facts.NotBefore)} to {Labels.Utc(facts.NotAfter)}");
            Line(w, $"{more}serial: {facts.SerialHex}");
            Line(w, $"{more}signature: {HostileText.ForTerminal(facts.SignatureAlgorithm, 80)}");
            Line(w, $"{more}SPKI SHA-256: {Convert.ToHexStringLower(facts.SpkiSha256)}");
            Line(w, $"{more}SHA-256: {Convert.ToHexStringLower(facts.CertificateSha256)}");
        }
    }

    /// <summary>PEM of each certificate, unindented so it can be pasted, each after "# [n] CN=...".</summary>
    public static void WritePem(TextWriter w, TlsSummary tls)
    {
        for (var i = 0; i < tls.Certificates.Count; i++)
        {
            string cn;
            try
            {
                cn = Cn(CertificateFacts.Parse(tls.Certificates[i]));
            }
            catch (CertificateParseException)
            {
                cn = "(unparseable)";
            }

            Line(w, $"# [{i}] CN={cn}");
            Line(w, "-----BEGIN CERTIFICATE-----");
            var b64 = Convert.ToBase64String(tls.Certificates[i]);
            for (var at = 0; at < b64.Length; at += 64)
            {
                Line(w, b64.Substring(at, Math.Min(64, b64.Length - at)));
            }

            Line(w, "-----END CERTIFICATE-----");
        }
    }

    private static string Cn(CertificateFacts facts) =>
        facts.CommonName is null ? "(none)" : HostileText.Quote(facts.CommonName, Labels.NameLength);

    private static string Join(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(50).Select(n => HostileText.Quote(n, Labels.NameLength))) +
        (names.Count > 50 ? $", … ({names.Count} in all)" : "");

    private static void Line(TextWriter w, string text)
    {
        w.Write(text);
        w.Write('\n');
    }
}
