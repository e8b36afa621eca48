namespace SmtpDane.Dns;

/// <summary>
/// The result of one lookup. <see cref="CanonicalName"/> is the name after following any CNAME
/// chain (<see cref="CnameChain"/> lists the aliases in order, empty when none). Names are
/// absolute, lower-case, without the trailing dot. <see cref="Failure"/> says why when
/// <see cref="Outcome"/> is <see cref="DnsOutcome.Failed"/> or <see cref="Security"/> is bogus.
/// </summary>
public sealed record DnsAnswer<T>(
    string QueryName,
    DnsOutcome Outcome,
    DnsSecurity Security,
    IReadOnlyList<T> Records,
    string CanonicalName,
    IReadOnlyList<string> CnameChain,
    string? Failure = null)
{
    /// <summary>
    /// When <see cref="Security"/> is insecure and the chain of trust was checked locally
    /// (<c>-dnssec local</c>): the delegation whose DS is provably absent, e.g. "insecure.test".
    /// Null in resolver mode or when it could not be pinned down.
    /// </summary>
    public string? InsecureAt { get; init; }

    public static DnsAnswer<T> Failed(string name, string reason) =>
        new(name, DnsOutcome.Failed, DnsSecurity.Indeterminate, [], name, [], reason);
}
