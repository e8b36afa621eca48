using SmtpDane.Findings;

namespace SmtpDane.Certificates;

/// <summary>
/// Outcome of <see cref="OcspStapleChecker.Check"/>: whether a staple was sent, whether it
/// positively said "good" (signature, CertID and freshness all checked), and the findings.
/// </summary>
public sealed record OcspCheck(bool StaplePresent, bool Good, IReadOnlyList<Finding> Findings);
