namespace SmtpDane.Model;

/// <summary>
/// A parsed MTA-STS policy (RFC 8461 §3.2). <see cref="MxPatterns"/> are lower-case, without a
/// trailing dot, in policy order; a pattern "*.example.net" matches exactly one leftmost label.
/// </summary>
public sealed record StsPolicy(StsMode Mode, long MaxAgeSeconds, IReadOnlyList<string> MxPatterns)
{
    /// <summary>RFC 8461 §3.2: max_age is at most 31557600 seconds (about one year).</summary>
    public const long MaxMaxAge = 31_557_600;

    /// <summary>Below one day a cached policy protects almost nothing against a downgrade (RFC 8461 §10.2).</summary>
    public const long ShortMaxAge = 86_400;

    public static string ModeWord(StsMode mode) => mode switch
    {
        StsMode.Enforce => "enforce",
        StsMode.Testing => "testing",
        _ => "none",
    };
}
