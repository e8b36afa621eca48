using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace SmtpDane.Dns;

/// <summary>Turns a NOERROR/NXDOMAIN response into a <see cref="DnsAnswer{T}"/>, following CNAMEs.</summary>
internal static class DnsAnswerBuilder
{
    /// <summary>
    /// Follows the CNAME chain through the answer section (RFC 1034 §3.6.2, RFC 6604 for the
    /// rcode of a chain) and collects records of <paramref name="type"/> at the canonical name.
    /// Security is the AD bit of the whole response (RFC 4035 §3.2.3): the resolver sets it only
    /// when every RRset in the answer, chain included, validated.
    /// </summary>
    public static DnsAnswer<T> Build<T>(string queryName, RecordType type, DnsMessage message, Func<DnsRecordBase, T?> convert, int maxChain)
        where T : class
    {
        var security = message.IsAuthenticData ? DnsSecurity.Secure : DnsSecurity.Insecure;
        var current = queryName;
        var chain = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { queryName };
        var records = new List<T>();
        while (true)
        {
            CNameRecord? alias = null;
            foreach (var record in message.AnswerRecords)
            {
                if (record.RecordClass != RecordClass.INet || NameOf(record.Name) != current)
                {
                    continue;
                }

                if (record.RecordType == type && convert(record) is { } converted)
                {
                    records.Add(converted);
                }
                else if (record is CNameRecord cname)
                {
                    alias ??= cname;
                }
            }

            if (records.Count > 0 || alias is null)
            {
                break;
            }

            var next = NameOf(alias.CanonicalName);
            if (!visited.Add(next))
            {
                return DnsAnswer<T>.Failed(queryName, $"the CNAME chain from {queryName} loops at {next}");
            }

            if (chain.Count >= maxChain)
            {
                return DnsAnswer<T>.Failed(queryName, $"the CNAME chain from {queryName} is longer than {maxChain}");
            }

            chain.Add(current);
            current = next;
        }

        var outcome = records.Count > 0 ? DnsOutcome.Records
            : message.ReturnCode == ReturnCode.NxDomain ? DnsOutcome.NxDomain
            : DnsOutcome.NoData;
        return new DnsAnswer<T>(queryName, outcome, security, records, current, chain);
    }

    /// <summary>Presentation form (special characters escaped), lower-case, no trailing dot; the root is "".</summary>
    public static string NameOf(DomainName name) => name.ToString(false).ToLowerInvariant();
}
