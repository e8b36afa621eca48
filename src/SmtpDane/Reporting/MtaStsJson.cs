using System.Text.Json;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Reporting;

/// <summary>
/// The "mta_sts" object of a target (docs/json-schema.md), present only with -mta-sts on MX
/// targets: the TXT record, the policy as fetched and parsed, the MX judgement, TLS-RPT.
/// </summary>
internal static class MtaStsJson
{
    public static void Write(Utf8JsonWriter w, MtaStsResult sts)
    {
        w.WriteStartObject("mta_sts");
        w.WriteString("domain", HostileText.ForJson(sts.Domain));
        w.WriteString("record", Word(sts.Txt));
        NullableString(w, "id", sts.Id);
        NullableString(w, "policy_url", sts.Fetch?.Url);
        w.WriteString("policy_fetch", sts.Fetch is null ? "not-fetched" : sts.Fetch.Outcome switch
        {
            StsFetchOutcome.Fetched => "fetched",
            StsFetchOutcome.Redirect => "redirect",
            StsFetchOutcome.TooLarge => "too-large",
            StsFetchOutcome.CertificateInvalid => "certificate-invalid",
            _ => "failed",
        });
        w.WriteBoolean("policy_valid", sts.PolicyValid);
        if (sts.Policy is { } policy)
        {
            w.WriteString("mode", StsPolicy.ModeWord(policy.Mode));
            w.WriteNumber("max_age", policy.MaxAgeSeconds);
            w.WriteStartArray("mx");
            foreach (var mx in policy.MxPatterns)
            {
                w.WriteStringValue(HostileText.ForJson(mx));
            }

            w.WriteEndArray();
        }
        else
        {
            w.WriteNull("mode");
            w.WriteNull("max_age");
            w.WriteStartArray("mx");
            w.WriteEndArray();
        }

        NullableBool(w, "mx_covered", sts.MxCovered);
        NullableBool(w, "mx_webpki_valid", sts.MxWebPkiValid);
        w.WriteBoolean("protects_instead_of_dane", sts.ProtectsInsteadOfDane);
        w.WriteStartObject("tlsrpt");
        w.WriteString("record", Word(sts.TlsRpt));
        NullableString(w, "rua", sts.TlsRptRua);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    internal static string Word(TxtOutcome outcome) => outcome switch
    {
        TxtOutcome.Valid => "valid",
        TxtOutcome.Invalid => "invalid",
        _ => "none",
    };

    private static void NullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, HostileText.ForJson(value));
        }
    }

    private static void NullableBool(Utf8JsonWriter w, string name, bool? value)
    {
        if (value is { } v)
        {
            w.WriteBoolean(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
