using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SmtpDane.Dns;
using SmtpDane.Model;

namespace SmtpDane.Tests.Discovery;

/// <summary>An in-memory <see cref="IDnsResolver"/>: answers keyed by (type, name); missing → secure NXDOMAIN.</summary>
public sealed class FakeDnsResolver : IDnsResolver
{
    private readonly Dictionary<(string Type, string Name), object> _answers = [];

    public ConcurrentQueue<string> Queries { get; } = new();

    public FakeDnsResolver Mx(string name, DnsSecurity security, params MxRecord[] records) =>
        Set("MX", name, Answer(name, security, records));

    public FakeDnsResolver Srv(string name, DnsSecurity security, params SrvRecord[] records) =>
        Set("SRV", name, Answer(name, security, records));

    public FakeDnsResolver A(string name, DnsSecurity security, params string[] addresses) =>
        Set("A", name, Answer(name, security, addresses.Select(IPAddress.Parse).ToArray()));

    public FakeDnsResolver Aaaa(string name, DnsSecurity security, params string[] addresses) =>
        Set("AAAA", name, Answer(name, security, addresses.Select(IPAddress.Parse).ToArray()));

    public FakeDnsResolver Tlsa(string name, DnsSecurity security, params TlsaRecord[] records) =>
        Set("TLSA", name, Answer(name, security, records));

    public FakeDnsResolver Txt(string name, DnsSecurity security, params string[] records) =>
        Set("TXT", name, Answer(name, security, records));

    public FakeDnsResolver Set<T>(string type, string name, DnsAnswer<T> answer)
    {
        _answers[(type, name)] = answer;
        return this;
    }

    public static DnsAnswer<T> Answer<T>(string name, DnsSecurity security, T[] records, string? canonical = null, string[]? chain = null) =>
        new(name, records.Length > 0 ? DnsOutcome.Records : DnsOutcome.NoData, security, records, canonical ?? name, chain ?? []);

    public static DnsAnswer<T> Outcome<T>(string name, DnsOutcome outcome, DnsSecurity security) =>
        outcome == DnsOutcome.Failed ? DnsAnswer<T>.Failed(name, "SERVFAIL (bogus DNSSEC or server failure)") : new(name, outcome, security, [], name, []);

    public Task<DnsAnswer<MxRecord>> QueryMxAsync(string domain, CancellationToken ct) => Get<MxRecord>("MX", domain);

    public Task<DnsAnswer<SrvRecord>> QuerySrvAsync(string name, CancellationToken ct) => Get<SrvRecord>("SRV", name);

    public Task<DnsAnswer<IPAddress>> QueryAddressesAsync(string host, AddressFamily family, CancellationToken ct) =>
        Get<IPAddress>(family == AddressFamily.InterNetworkV6 ? "AAAA" : "A", host);

    public Task<DnsAnswer<TlsaRecord>> QueryTlsaAsync(string name, CancellationToken ct) => Get<TlsaRecord>("TLSA", name);

    public Task<DnsAnswer<string>> QueryTxtAsync(string name, CancellationToken ct) => Get<string>("TXT", name);

    private async Task<DnsAnswer<T>> Get<T>(string type, string name)
    {
        Queries.Enqueue($"{type} {name}");
        await Task.Yield();
        return _answers.TryGetValue((type, name), out var answer)
            ? (DnsAnswer<T>)answer
            : new DnsAnswer<T>(name, DnsOutcome.NxDomain, DnsSecurity.Secure, [], name, []);
    }
}
