using System.Net;
using System.Net.Sockets;

namespace SmtpDane.Tests.Net;

/// <summary>
/// An in-process TCP server on 127.0.0.1 (or ::1) that runs <c>handler</c> for each accepted client
/// until disposed. Handler exceptions are kept for <see cref="ThrowIfFailed"/>.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<Exception> _errors = [];

    /// <param name="port">0 for an ephemeral port; a fixed one to put two servers on one port of different addresses.</param>
    public LoopbackServer(Func<NetworkStream, CancellationToken, Task> handler, IPAddress? address = null, int port = 0)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, port);
        _listener.Start();
        _loop = AcceptLoopAsync(handler);
    }

    public IPAddress Address => ((IPEndPoint)_listener.LocalEndpoint).Address;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A port nothing listens on: bind, note, close.</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void ThrowIfFailed()
    {
        lock (_errors)
        {
            if (_errors.Count > 0)
            {
                throw new AggregateException(_errors);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(Func<NetworkStream, CancellationToken, Task> handler)
    {
        var clients = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                clients.Add(RunAsync(client, handler));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(clients);
    }

    private async Task RunAsync(TcpClient client, Func<NetworkStream, CancellationToken, Task> handler)
    {
        using (client)
        {
            try
            {
                await handler(client.GetStream(), _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException && _stop.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                lock (_errors)
                {
                    _errors.Add(ex);
                }
            }
        }
    }
}
