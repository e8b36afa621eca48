using System.Net;
using System.Net.Sockets;
using SmtpDane.Model;

namespace SmtpDane.Dns;

/// <summary>
/// The DNS seam: few methods, each answer carrying its DNSSEC state. Implementations never throw
/// for DNS or network trouble: they return <see cref="DnsOutcome.Failed"/> with a reason.
/// Cancellation via <paramref name="ct"/> throws <see cref="OperationCanceledException"/>.
/// </summary>
public interface IDnsResolver
{
    Task<DnsAnswer<MxRecord>> QueryMxAsync(string domain, CancellationToken ct);

    Task<DnsAnswer<SrvRecord>> QuerySrvAsync(string name, CancellationToken ct);

    /// <summary>A (<see cref="AddressFamily.InterNetwork"/>) or AAAA (<see cref="AddressFamily.InterNetworkV6"/>) records.</summary>
    Task<DnsAnswer<IPAddress>> QueryAddressesAsync(string host, AddressFamily family, CancellationToken ct);

    Task<DnsAnswer<TlsaRecord>> QueryTlsaAsync(string name, CancellationToken ct);

    /// <summary>TXT records, each one string: its character-strings joined (RFC 8461 §3.1, RFC 8460 §3).</summary>
    Task<DnsAnswer<string>> QueryTxtAsync(string name, CancellationToken ct);
}
