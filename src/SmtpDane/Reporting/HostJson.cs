using System.Text.Json;
using SmtpDane.Certificates;
using SmtpDane.Findings;
using SmtpDane.Model;
using static SmtpDane.Reporting.JsonRenderer;

namespace SmtpDane.Reporting;

/// <summary>
/// The "hosts" entries of a target (docs/json-schema.md): host, TLSA records, addresses, the TLS
/// summary and each presented certificate, with days left counted from the run's start.
/// </summary>
internal static class HostJson
{
    public static void Write(Utf8JsonWriter w, HostResult host, DateTimeOffset now, OutputOptions options)
    {
        w.WriteStartObject();
        w.WriteString("name", HostileText.ForJson(host.Name));
        w.WriteNumber("port", host.Port);
        WriteNullableNumber(w, "preference", host.Preference);
        w.WriteBoolean("tls_on_connect", host.TlsOnConnect);
        w.WriteString("status", Verdicts.StatusWord(Verdicts.Of(host)));
        if (host.TlsaBaseName is null)
        {
            w.WriteNull("tlsa_base_name");
        }
        else
        {
            w.WriteString("tlsa_base_name", HostileText.ForJson(host.TlsaBaseName));
        }

        w.WriteStartArray("tlsa");
        foreach (var record in host.Tlsa)
        {
            w.WriteStartObject();
            w.WriteNumber("usage", record.Usage);
            w.WriteNumber("selector", record.Selector);
            w.WriteNumber("matching", record.MatchingType);
            w.WriteString("data", Convert.ToHexStringLower(record.Data));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteFindings(w, host.Findings);
        w.WriteStartArray("addresses");
        foreach (var address in host.Addresses)
        {
            WriteAddress(w, address, now, options);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteAddress(Utf8JsonWriter w, AddressResult address, DateTimeOffset now, OutputOptions options)
    {
        w.WriteStartObject();
        w.WriteString("address", address.Address.ToString());
        w.WriteNumber("port", address.Port);
        w.WriteString("status", Verdicts.StatusWord(Verdicts.Of(address)));
        w.WriteBoolean("verified", address.Verified);
        w.WriteNumber("duration_seconds", Seconds(address.Duration));
        WriteFindings(w, address.Findings);
        if (address.Tls is not { } tls)
        {
            w.WriteNull("tls");
            w.WriteStartArray("certificates");
            w.WriteEndArray();
            w.WriteEndObject();
            return;
        }

        w.WriteStartObject("tls");
        w.WriteString("version", HostileText.ForJson(tls.Version));
        w.WriteString("cipher", HostileText.ForJson(tls.CipherSuite));
        w.WriteNumber("handshake_seconds", Seconds(tls.HandshakeTime));
        w.WriteBoolean("ocsp_staple_present", tls.OcspStaple is { Length: > 0 });
        if (tls.OcspStaple is { Length: > 0 } staple)
        {
            w.WriteString("ocsp_staple", Convert.ToBase64String(staple));
        }
        else
        {
            w.WriteNull("ocsp_staple");
        }

        w.WriteEndObject();
        w.WriteStartArray("certificates");
        foreach (var der in tls.Certificates)
        {
            WriteCertificate(w, der, now, options);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteCertificate(Utf8JsonWriter w, byte[] der, DateTimeOffset now, OutputOptions options)
    {
        w.WriteStartObject();
        try
        {
            var facts = CertificateFacts.Parse(der);
            w.WriteString("subject", HostileText.ForJson(facts.Subject));
            w.WriteString("issuer", HostileText.ForJson(facts.Issuer));
            if (facts.CommonName is null)
            {
                w.WriteNull("cn");
            }
            else
            {
                w.WriteString("cn", HostileText.ForJson(facts.CommonName));
            }

            WriteStrings(w, "dns_names", facts.DnsNames);
            WriteStrings(w, "ip_addresses", facts.IpAddresses);
            w.WriteString("not_before", Labels.Utc(facts.NotBefore));
            w.WriteString("not_after", Labels.Utc(facts.NotAfter));
            w.WriteNumber("days_left", (int)Math.Floor((facts.NotAfter - now).TotalDays));
            w.WriteString("serial", facts.SerialHex);
            w.WriteString("signature_algorithm", HostileText.ForJson(facts.SignatureAlgorithm));
            w.WriteBoolean("is_ca", facts.IsCa);
            w.WriteString("spki_sha256", Convert.ToHexStringLower(facts.SpkiSha256));
            w.WriteString("sha256", Convert.ToHexStringLower(facts.CertificateSha256));
        }
        catch (CertificateParseException e)
        {
            w.WriteString("error", HostileText.ForJson(e.Message));
            w.WriteString("sha256", Convert.ToHexStringLower(Digests.Sha256(der)));
        }

        if (options.ShowCerts)
        {
            w.WriteString("der", Convert.ToBase64String(der));
        }

        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(HostileText.ForJson(v));
        }

        w.WriteEndArray();
    }
}
