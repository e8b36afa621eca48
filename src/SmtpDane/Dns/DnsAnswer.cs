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
    public static DnsAnswer<T> Failed(string name, string reason) =>
        new(name, DnsOutcome.Failed, DnsSecurity.Indeterminate, [], name, [], reason);
}
