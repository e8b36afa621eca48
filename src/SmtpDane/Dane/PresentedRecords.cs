using SmtpDane.Certificates;
using SmtpDane.Findings;

namespace SmtpDane.Dane;

/// <summary>The operator's help when nothing matched: the TLSA records the presented chain would satisfy.</summary>
internal static class PresentedRecords
{
    /// <summary>
    /// What the server presents, as the records that would match it: 3 1 1 for the leaf, 2 1 1 and
    /// 2 0 1 for the certificates above it. Data to compare with DNS, not advice to trust it.
    /// </summary>
    public static Finding Describe(PresentedCertificate?[] certs, string where)
    {
        var parts = new List<string>();
        var data = new Dictionary<string, string>();
        for (var i = 0; i < certs.Length; i++)
        {
            if (certs[i] is not { } c)
            {
                parts.Add($"position {i} is malformed");
                continue;
            }

            var spki = Convert.ToHexStringLower(c.Facts.SpkiSha256);
            var full = Convert.ToHexStringLower(c.Facts.CertificateSha256);
            data[$"{i}.subject"] = PeerText.Cap(c.Facts.Subject);
            if (i == 0)
            {
                data["0.3 1 1"] = spki;
                parts.Add($"{c.Label} would match 3 1 1 {spki}");
            }
            else
            {
                data[$"{i}.2 1 1"] = spki;
                data[$"{i}.2 0 1"] = full;
                parts.Add($"{c.Label} would match 2 1 1 {spki} or 2 0 1 {full}");
            }
        }

        return Finding.Info(
            FindingCodes.DanePresented,
            $"the server {where} presents {(certs.Length == 1 ? "1 certificate" : $"{certs.Length} certificates")}: {string.Join("; ", parts)} (what the server presents, not what you should trust blindly)",
            data);
    }
}
