using System.Net;
using System.Net.Sockets;

namespace SmtpDane.IntegrationTests.Faults;

/// <summary>
/// An in-process TCP server on a loopback address that runs a script for each accepted client
/// until disposed (the unit tests' LoopbackServer, copied small). Script failures are ignored:
/// a hostile server may be hung up on at any point.
/// </summary>
public sealed class HostileServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public HostileServer(Func<NetworkStream, CancellationToken, Task> script, IPAddress? address = null, int port = 0)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, port);
        _listener.Start();
        _loop = AcceptLoopAsync(script);
    }

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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
            // Shutting down.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(Func<NetworkStream, CancellationToken, Task> script)
    {
        var clients = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                clients.Add(RunAsync(client, script));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(clients);
    }

    private async Task RunAsync(TcpClient client, Func<NetworkStream, CancellationToken, Task> script)
    {
        using (client)
        {
            try
            {
                await script(client.GetStream(), _stop.Token);
            }
            catch (Exception)
            {
                // The prober hung up, or the test is over.
            }
        }
    }
}
