using System.Collections.Concurrent;
using System.Net;
using SmtpDane.Net;

namespace SmtpDane.Exporter;

/// <summary>
/// Checks every address against <see cref="TargetAllowList"/> just before connecting, whether it
/// came from the request or from DNS (MX, SRV, A, AAAA), so DNS rebinding cannot reach a refused
/// address. One instance per check: the refusals it collects turn the answer into a 403.
/// </summary>
public sealed class AllowListConnector : IConnector
{
    private readonly IConnector _inner;
    private readonly TargetAllowList _allow;
    private readonly ConcurrentQueue<string> _refused = new();

    public AllowListConnector(IConnector inner, TargetAllowList allow)
    {
        _inner = inner;
        _allow = allow;
    }

    /// <summary>Why each refused address was refused, in the order met.</summary>
    public IReadOnlyCollection<string> Refused => _refused;

    public Task<Stream> ConnectAsync(IPAddress address, int port, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_allow.DenyAddress(address, port) is { } why)
        {
            _refused.Enqueue(why);
            throw new ConnectException($"not connecting: {why}");
        }

        return _inner.ConnectAsync(address, port, ct);
    }
}
