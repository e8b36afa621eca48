using SmtpDane.Model;

namespace SmtpDane.Findings;

/// <summary>
/// What a mail domain publishes for MTA-STS and TLS-RPT, before the MX hosts are judged against
/// it. <see cref="Findings"/> are the domain-level findings (TXT, fetch, parse, max_age,
/// TLS-RPT) in a fixed order. <see cref="Policy"/> is set only when a TXT record pointed to a
/// policy that was fetched and parsed. <see cref="MxCovered"/> and <see cref="MxWebPkiValid"/> are
/// filled in once the MX hosts were probed (null: not judged, e.g. no policy or mode none).
/// Strings from DNS or HTTP are raw: renderers escape them.
/// </summary>
public sealed record MtaStsResult(
    string Domain,
    TxtOutcome Txt,
    string? Id,
    StsFetch? Fetch,
    StsPolicy? Policy,
    TxtOutcome TlsRpt,
    string? TlsRptRua,
    IReadOnlyList<Finding> Findings)
{
    public bool? MxCovered { get; init; }

    public bool? MxWebPkiValid { get; init; }

    /// <summary>True when DANE was not in effect and a valid enforce policy stood in (a warning, not OK).</summary>
    public bool ProtectsInsteadOfDane { get; init; }

    /// <summary>A policy is published and usable: TXT valid, fetched, parsed.</summary>
    public bool PolicyValid => Policy is not null;

    /// <summary>The policy asks senders to act on failures (enforce or testing).</summary>
    public bool Active => Policy is { Mode: StsMode.Enforce or StsMode.Testing };
}
