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
    private readonly IConnectionListenerFactory inner;
    private readonly int max;

    public BoundedListenerFactory(IConnectionListenerFactory inner, int max)
    {
        this.inner = inner;
        this.max = max;
    }

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new Listener(await inner.BindAsync(endpoint, cancellationToken).ConfigureAwait(false), max);

    private sealed class Listener : IConnectionListener
    {
        private readonly IConnectionListener inner;
        private readonly SemaphoreSlim slots;

        public Listener(IConnectionListener inner, int max)
        {
            this.inner = inner;
            slots = new SemaphoreSlim(max, max);
        }

        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            var connection = await inner.AcceptAsync(cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                slots.Release();
                return null;
            }

            return new Counted(connection, slots);
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => inner.UnbindAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>The accepted connection; gives its slot back once, when Kestrel disposes it.</summary>
    private sealed class Counted : ConnectionContext
    {
        private readonly ConnectionContext inner;
        private readonly SemaphoreSlim slots;
        private int released;

        public Counted(ConnectionContext inner, SemaphoreSlim slots)
        {
            this.inner = inner;
            this.slots = slots;
        }

        public override string ConnectionId { get => inner.ConnectionId; set => inner.ConnectionId = value; }

        public override IFeatureCollection Features => inner.Features;

        public override IDictionary<object, object?> Items { get => inner.Items; set => inner.Items = value; }

        public override System.IO.Pipelines.IDuplexPipe Transport { get => inner.Transport; set => inner.Transport = value; }

        public override CancellationToken ConnectionClosed { get => inner.ConnectionClosed; set => inner.ConnectionClosed = value; }

        public override EndPoint? LocalEndPoint { get => inner.LocalEndPoint; set => inner.LocalEndPoint = value; }

        public override EndPoint? RemoteEndPoint { get => inner.RemoteEndPoint; set => inner.RemoteEndPoint = value; }

        public override void Abort(ConnectionAbortedException abortReason) => inner.Abort(abortReason);

        public override void Abort() => inner.Abort();

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync().ConfigureAwait(false);
                await base.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                if (Interlocked.Exchange(ref released, 1) == 0)
                {
                    slots.Release();
                }
            }
        }
    }
}
