using System.Globalization;
using SmtpDane.Findings;

namespace SmtpDane.Certificates;

/// <summary>
/// Validity-period checks as the Go smtpdane does them: expired is an error, expiring within the
/// warning window a warning; unlike the Go tool a notBefore in the future is an error too. The
/// dates are always checked: a window of zero only turns the warning off (the Go tool's
/// "-expiration-warning 0" still lets x509.Verify reject an expired chain).
/// </summary>
public static class CertificateExpiry
{
    /// <summary>
    /// Findings for one certificate. <paramref name="subject"/> names it in the message (e.g.
    /// <c>the certificate at chain position 0 ("mx1") of "mx1.example.org" port 25</c>);
    /// <paramref name="aside"/>, when given, is a clause added before the advice (e.g. that
    /// DANE-EE senders ignore expiry). <paramref name="warning"/> of zero or less gives no
    /// "expiring" warning; expired and not-yet-valid are reported whatever it is.
    /// </summary>
    public static IReadOnlyList<Finding> Check(CertificateFacts facts, string subject, DateTimeOffset now, TimeSpan warning, string? aside = null)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var findings = new List<Finding>();
        var extra = aside is null ? "" : $", {aside}";
        var data = new Dictionary<string, string>
        {
            ["notBefore"] = Format(facts.NotBefore),
            ["notAfter"] = Format(facts.NotAfter),
        };
        if (facts.NotBefore > now)
        {
            findings.Add(Finding.Error(
                FindingCodes.CertNotYetValid,
                $"{subject} is not valid yet, its notBefore is {Format(facts.NotBefore)}{extra}; fix the certificate's validity period or the server's clock",
                data));
        }

        if (facts.NotAfter < now)
        {
            var days = (int)Math.Floor((now - facts.NotAfter).TotalDays);
            data["daysLeft"] = (-days).ToString(CultureInfo.InvariantCulture);
            findings.Add(Finding.Error(
                FindingCodes.CertExpired,
                $"{subject} expired on {Format(facts.NotAfter)} ({Days(days)} ago){extra}; renew it",
                data));
        }
        else if (warning > TimeSpan.Zero && facts.NotAfter - now < warning)
        {
            var days = (int)Math.Floor((facts.NotAfter - now).TotalDays);
            data["daysLeft"] = days.ToString(CultureInfo.InvariantCulture);
            findings.Add(Finding.Warning(
                FindingCodes.CertExpiring,
                $"{subject} expires in {Days(days)} on {Format(facts.NotAfter)}{extra}; renew it soon",
                data));
        }

        return findings;
    }

    internal static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";
}
