namespace SmtpDane.Model;

/// <summary>
/// Whether a certificate chain is valid under the Web PKI for a name (RFC 8461 §4.1, RFC 6125):
/// <see cref="Problem"/> says why not, in words for the operator; null when valid.
/// </summary>
public sealed record WebPkiResult(bool Valid, string? Problem)
{
    public static WebPkiResult Ok { get; } = new(true, null);

    public static WebPkiResult Invalid(string problem) => new(false, problem);
}
