using System.Net;
using System.Net.Sockets;
using SmtpDane.Dns;
using SmtpDane.Model;

namespace SmtpDane.Batch;

/// <summary>
/// An <see cref="IDnsResolver"/> decorator for batch runs: each (type, name) is asked once per run
/// (answers kept in an LRU of bounded size), and at most -dns-parallel queries are in flight.
/// A query runs under the run's token and its own deadline, not the first caller's, so one
/// target's deadline never fails another target that shares the answer; each caller still
/// stops waiting at its own deadline.
/// </summary>
public sealed class CachingDnsResolver : IDnsResolver, IDisposable
{
    private readonly IDnsResolver _inner;
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _queryDeadline;
    private readonly CancellationToken _runCt;
    private readonly LruCache<string, object> _cache;

    public CachingDnsResolver(IDnsResolver inner, int parallel, int capacity, TimeSpan queryDeadline, CancellationToken runCt)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        _inner = inner;
        _slots = new SemaphoreSlim(parallel, parallel);
        _queryDeadline = queryDeadline;
        _runCt = runCt;
        _cache = new LruCache<string, object>(capacity);
    }

    public Task<DnsAnswer<MxRecord>> QueryMxAsync(string domain, CancellationToken ct) =>
        GetAsync("MX " + domain, c => _inner.QueryMxAsync(domain, c), ct);

    public Task<DnsAnswer<SrvRecord>> QuerySrvAsync(string name, CancellationToken ct) =>
        GetAsync("SRV " + name, c => _inner.QuerySrvAsync(name, c), ct);

    public Task<DnsAnswer<IPAddress>> QueryAddressesAsync(string host, AddressFamily family, CancellationToken ct) =>
        GetAsync((family == AddressFamily.InterNetworkV6 ? "AAAA " : "A ") + host, c => _inner.QueryAddressesAsync(host, family, c), ct);

    public Task<DnsAnswer<TlsaRecord>> QueryTlsaAsync(string name, CancellationToken ct) =>
        GetAsync("TLSA " + name, c => _inner.QueryTlsaAsync(name, c), ct);

    public Task<DnsAnswer<string>> QueryTxtAsync(string name, CancellationToken ct) =>
        GetAsync("TXT " + name, c => _inner.QueryTxtAsync(name, c), ct);

    public void Dispose() => _slots.Dispose();

    private async Task<T> GetAsync<T>(string key, Func<CancellationToken, Task<T>> query, CancellationToken ct)
        where T : class
    {
        var (entry, _) = _cache.GetOrAdd(key.ToLowerInvariant(), _ => new Lazy<Task<T>>(() => RunAsync(query)));
        var task = ((Lazy<Task<T>>)entry).Value;
        try
        {
            return await task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && task.IsCanceled)
        {
            // The shared query hit its own deadline: forget it so a later caller may ask again.
            _cache.Remove(key.ToLowerInvariant());
            throw;
        }
    }

    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> query)
    {
        await _slots.WaitAsync(_runCt).ConfigureAwait(false);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_runCt);
            deadline.CancelAfter(_queryDeadline);
            return await query(deadline.Token).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }
}
