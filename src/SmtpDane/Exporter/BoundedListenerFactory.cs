using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace SmtpDane.Exporter;

/// <summary>
/// Wraps Kestrel's socket transport so that at most <c>max</c> connections are accepted at once.
/// Kestrel accepts as fast as clients connect and only then applies its limits, so a burst of
/// connections could take every file descriptor (the HttpListener exporter aborted that way);
/// here a connection beyond the bound waits in the kernel's listen backlog, which costs no
/// descriptor, until one closes.
/// </summary>
public sealed class BoundedListenerFactory : IConnectionListenerFactory
{
    private readonly IConnectionListenerFactory _inner;
    private readonly int _max;

    public BoundedListenerFactory(IConnectionListenerFactory inner, int max)
    {
        _inner = inner;
        _max = max;
    }

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new Listener(await _inner.BindAsync(endpoint, cancellationToken).ConfigureAwait(false), _max);

    private sealed class Listener : IConnectionListener
    {
        private readonly IConnectionListener _inner;
        private readonly SemaphoreSlim _slots;

        public Listener(IConnectionListener inner, int max)
        {
            _inner = inner;
            _slots = new SemaphoreSlim(max, max);
        }

        public EndPoint EndPoint => _inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            var connection = await _inner.AcceptAsync(cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                _slots.Release();
                return null;
            }

            return new Counted(connection, _slots);
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => _inner.UnbindAsync(cancellationToken);

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }

    /// <summary>The accepted connection; gives its slot back once, when Kestrel disposes it.</summary>
    private sealed class Counted : ConnectionContext
    {
        private readonly ConnectionContext _inner;
        private readonly SemaphoreSlim _slots;
        private int _released;

        public Counted(ConnectionContext inner, SemaphoreSlim slots)
        {
            _inner = inner;
            _slots = slots;
        }

        public override string ConnectionId { get => _inner.ConnectionId; set => _inner.ConnectionId = value; }

        public override IFeatureCollection Features => _inner.Features;

        public override IDictionary<object, object?> Items { get => _inner.Items; set => _inner.Items = value; }

        public override System.IO.Pipelines.IDuplexPipe Transport { get => _inner.Transport; set => _inner.Transport = value; }

        public override CancellationToken ConnectionClosed { get => _inner.ConnectionClosed; set => _inner.ConnectionClosed = value; }

        public override EndPoint? LocalEndPoint { get => _inner.LocalEndPoint; set => _inner.LocalEndPoint = value; }

        public override EndPoint? RemoteEndPoint { get => _inner.RemoteEndPoint; set => _inner.RemoteEndPoint = value; }

        public override void Abort(ConnectionAbortedException abortReason) => _inner.Abort(abortReason);

        public override void Abort() => _inner.Abort();

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await _inner.DisposeAsync().ConfigureAwait(false);
                await base.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                if (Interlocked.Exchange(ref _released, 1) == 0)
                {
                    _slots.Release();
                }
            }
        }
    }
}
