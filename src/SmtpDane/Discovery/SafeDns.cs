using SmtpDane.Dns;

namespace SmtpDane.Discovery;

/// <summary>
/// Guards the <see cref="IDnsResolver"/> contract: a resolver that throws anyway (a bug) yields
/// a Failed answer, so one bad lookup cannot take the whole target down. Cancellation propagates.
/// </summary>
internal static class SafeDns
{
    public static async Task<DnsAnswer<T>> QueryAsync<T>(Func<CancellationToken, Task<DnsAnswer<T>>> query, string name, CancellationToken ct)
    {
        try
        {
            return await query(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return DnsAnswer<T>.Failed(name, $"internal resolver error ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>"NXDOMAIN", "NODATA", "SERVFAIL (...)" and so on, for messages.</summary>
    public static string Describe<T>(DnsAnswer<T> answer) => answer.Outcome switch
    {
        DnsOutcome.NxDomain => "NXDOMAIN",
        DnsOutcome.NoData => "NODATA",
        DnsOutcome.Failed => answer.Failure ?? "lookup failed",
        _ => $"{answer.Records.Count} records",
    };

    /// <summary>
    /// ": the chain of trust ends at the unsigned delegation \"x\"" when the answer is insecure and
    /// the validator pinned down where (<see cref="DnsAnswer{T}.InsecureAt"/>), else "".
    /// </summary>
    public static string DescribeInsecureAt<T>(DnsAnswer<T> answer) =>
        InsecureAt(answer) is { } cut ? $": the chain of trust ends at the unsigned delegation \"{cut}\"" : "";

    /// <summary>The finding data for an insecure answer: "insecure_at" when known, else null.</summary>
    public static IReadOnlyDictionary<string, string>? InsecureData<T>(DnsAnswer<T> answer) =>
        InsecureAt(answer) is { } cut ? new Dictionary<string, string> { ["insecure_at"] = cut } : null;

    private static string? InsecureAt<T>(DnsAnswer<T> answer) =>
        answer.Security == DnsSecurity.Insecure && !string.IsNullOrEmpty(answer.InsecureAt) ? answer.InsecureAt : null;

    /// <summary>"DNSSEC secure" or "not DNSSEC-signed".</summary>
    public static string DescribeSecurity(DnsSecurity security) => security switch
    {
        DnsSecurity.Secure => "DNSSEC secure",
        DnsSecurity.Insecure => "not DNSSEC-validated",
        DnsSecurity.Bogus => "DNSSEC bogus",
        _ => "DNSSEC state unknown",
    };
}
