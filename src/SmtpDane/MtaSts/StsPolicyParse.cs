using SmtpDane.Model;

namespace SmtpDane.MtaSts;

/// <summary>The outcome of <see cref="StsPolicyParser.Parse"/>: a policy, or why the text is not one.</summary>
public sealed record StsPolicyParse(StsPolicy? Policy, string? Error)
{
    public static StsPolicyParse Invalid(string why) => new(null, why);
}
