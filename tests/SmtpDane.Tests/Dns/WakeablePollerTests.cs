using System.Net;
using System.Net.Sockets;
using SmtpDane.Dns;

namespace SmtpDane.Tests.Dns;

/// <summary>
/// The libunbound pump's loop: it polls without a timeout, so only the wake-up can end it. A
/// broken wake-up makes these tests fail at the safety limit (never a pass by waiting).
/// </summary>
public class WakeablePollerTests
{
    private static readonly TimeSpan SafetyLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_WokenWhileBlocked_Returns()
    {
        using var poller = new WakeablePoller();
        using var silent = BoundUdpSocket();
        var calls = 0;
        var run = Task.Factory.StartNew(() => poller.Run(Fd(silent), () => calls++), TaskCreationOptions.LongRunning);

        poller.Wake();

        await run.WaitAsync(SafetyLimit);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task Run_WokenBeforeStart_ReturnsWithoutCallingBack()
    {
        using var poller = new WakeablePoller();
        using var ready = BoundUdpSocket();
        SendTo(ready);
        poller.Wake();
        var calls = 0;

        await Task.Run(() => poller.Run(Fd(ready), () => calls++)).WaitAsync(SafetyLimit);

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task Run_ReadableDescriptor_CallsBackOnEachReadinessUntilWoken()
    {
        using var poller = new WakeablePoller();
        using var socket = BoundUdpSocket();
        SendTo(socket);
        var calls = 0;

        await Task.Run(() => poller.Run(Fd(socket), () =>
        {
            socket.Receive(new byte[16]);
            if (++calls == 2)
            {
                poller.Wake();
            }
            else
            {
                SendTo(socket);
            }
        })).WaitAsync(SafetyLimit);

        Assert.Equal(2, calls);
    }

    private static Socket BoundUdpSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static void SendTo(Socket socket)
    {
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.SendTo([1], socket.LocalEndPoint!);
    }

    private static int Fd(Socket socket) => (int)socket.SafeHandle.DangerousGetHandle();
}
