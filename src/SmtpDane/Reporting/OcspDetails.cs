using SmtpDane.Certificates;
using SmtpDane.Findings;

namespace SmtpDane.Reporting;

/// <summary>
/// The stapled OCSP response of one probe in one line, for -show-cert-info and -expect-ocsp:
/// status, leaf serial, producedAt, thisUpdate, nextUpdate (the ocsp.* finding's data).
/// </summary>
internal static class OcspDetails
{
    private static readonly string[] Times = ["producedAt", "thisUpdate", "nextUpdate", "revocationTime", "revocationReason"];

    /// <summary>The address's OCSP finding, if any.</summary>
    public static Finding? FindingOf(AddressResult address) =>
        address.Findings.FirstOrDefault(f => f.Code.StartsWith("ocsp.", StringComparison.Ordinal));

    /// <summary>"status good, serial 3f9, producedAt …, thisUpdate …, nextUpdate …"; null without a staple.</summary>
    public static string? Describe(AddressResult address)
    {
        if (address.Tls is not { OcspStaple.Length: > 0 } tls)
        {
            return null;
        }

        var parts = new List<string>();
        var finding = FindingOf(address);
        parts.Add("status " + Status(finding?.Code));
        if (tls.Certificates.Count > 0)
        {
            try
            {
                parts.Add("serial " + CertificateFacts.Parse(tls.Certificates[0]).SerialHex);
            }
            catch (CertificateParseException)
            {
                // The certificate block reports the parse failure.
            }
        }

        foreach (var key in Times)
        {
            if (finding?.Data is { } data && data.TryGetValue(key, out var value))
            {
                parts.Add($"{key} {HostileText.ForTerminal(value, 80)}");
            }
        }

        return string.Join(", ", parts);
    }

    private static string Status(string? code) => code switch
    {
        FindingCodes.OcspGood => "good",
        FindingCodes.OcspRevoked => "REVOKED",
        FindingCodes.OcspUnknown => "unknown",
        FindingCodes.OcspTryLater => "try later",
        FindingCodes.OcspInvalid => "invalid",
        _ => "not checked",
    };
}
