using SmtpDane.Dns;
using SmtpDane.Findings;

namespace SmtpDane.Cli;

/// <summary>
/// Resolver mode's one note per run: the AD bit came from a resolver that is not on loopback, so
/// the DNSSEC verdicts are only as good as that resolver and every network between us and it
/// (RFC 4035 §4.9.3: a stub should trust AD only over a secure channel to a trusted resolver).
/// </summary>
internal static class RemoteAdNotice
{
    /// <summary>The finding, or null when every AD bit came from loopback (or local mode validated).</summary>
    public static Finding? For(IDnsResolver resolver)
    {
        if (resolver is not AdBitResolver adBit || adBit.RemoteAdSources is not { Count: > 0 } sources)
        {
            return null;
        }

        var names = string.Join(", ", sources.Select(s => s.ToString()));
        return Finding.Info(
            FindingCodes.DnsRemoteAd,
            $"DNSSEC results were taken from the AD bit of {names}, a resolver not on loopback: anyone on the path to it could forge them; use a validating resolver on loopback or -dnssec local",
            new Dictionary<string, string> { ["resolvers"] = names });
    }
}
