using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using SmtpDane.Model;
using ArsMx = ARSoft.Tools.Net.Dns.MxRecord;
using ArsSrv = ARSoft.Tools.Net.Dns.SrvRecord;
using ArsTlsa = ARSoft.Tools.Net.Dns.TlsaRecord;
using TlsaRecord = SmtpDane.Model.TlsaRecord;

namespace SmtpDane.Dns;

/// <summary>
/// The typed queries of <see cref="IDnsResolver"/> over one generic query. The resolvers differ
/// only in how they fetch an answer and judge its DNSSEC state, not in how records become ours.
/// </summary>
public abstract class TypedQueryResolver : IDnsResolver
{
    public Task<DnsAnswer<MxRecord>> QueryMxAsync(string domain, CancellationToken ct) =>
        QueryAsync(domain, RecordType.Mx, r => r is ArsMx mx ? new MxRecord(mx.Preference, DnsAnswerBuilder.NameOf(mx.ExchangeDomainName)) : null, ct);

    public Task<DnsAnswer<SrvRecord>> QuerySrvAsync(string name, CancellationToken ct) =>
        QueryAsync(name, RecordType.Srv, r => r is ArsSrv srv ? new SrvRecord(srv.Priority, srv.Weight, srv.Port, DnsAnswerBuilder.NameOf(srv.Target)) : null, ct);

    public Task<DnsAnswer<IPAddress>> QueryAddressesAsync(string host, AddressFamily family, CancellationToken ct) => family switch
    {
        AddressFamily.InterNetwork => QueryAsync(host, RecordType.A, r => r is ARecord a ? a.Address : null, ct),
        AddressFamily.InterNetworkV6 => QueryAsync(host, RecordType.Aaaa, r => r is AaaaRecord a ? a.Address : null, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "only InterNetwork (A) and InterNetworkV6 (AAAA)"),
    };

    public Task<DnsAnswer<TlsaRecord>> QueryTlsaAsync(string name, CancellationToken ct) =>
        QueryAsync(
            name,
            RecordType.Tlsa,
            r => r is ArsTlsa t ? new TlsaRecord((byte)t.CertificateUsage, (byte)t.Selector, (byte)t.MatchingType, t.CertificateAssociationData) : null,
            ct);

    /// <summary>Each TXT record as one string: its character-strings joined (RFC 8461 §3.1).</summary>
    public Task<DnsAnswer<string>> QueryTxtAsync(string name, CancellationToken ct) =>
        QueryAsync(name, RecordType.Txt, r => r is TxtRecord t ? string.Concat(t.TextParts) : null, ct);

    /// <summary>
    /// Asks for <paramref name="type"/> records of <paramref name="name"/>; <paramref name="convert"/>
    /// maps a record of the answer to ours, or null for a record of another type (e.g. a CNAME).
    /// </summary>
    protected abstract Task<DnsAnswer<T>> QueryAsync<T>(string name, RecordType type, Func<DnsRecordBase, T?> convert, CancellationToken ct)
        where T : class;
}
