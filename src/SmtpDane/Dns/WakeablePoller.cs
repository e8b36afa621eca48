using System.Runtime.InteropServices;

namespace SmtpDane.Dns;

/// <summary>
/// Waits on one descriptor with poll(2), without a timeout, until <see cref="Wake"/>: the wake-up
/// is an eventfd polled alongside it, so a stop takes effect at once. (A poll timeout that looks
/// for a stop flag made every <c>-dnssec local</c> run wait up to that timeout at exit.)
/// </summary>
internal sealed partial class WakeablePoller : IDisposable
{
    private const short PollIn = 0x1;
    private const short PollNval = 0x20;
    private const int Eintr = 4;
    private const int EfdCloexec = 0x80000;
    private const int EfdNonblock = 0x800;

    private readonly int _wakeFd;
    private bool _disposed;

    /// <exception cref="ResolverConfigException">The kernel refused an eventfd (descriptor limit).</exception>
    public WakeablePoller()
    {
        _wakeFd = EventFd(0, EfdCloexec | EfdNonblock);
        if (_wakeFd < 0)
        {
            throw new ResolverConfigException($"could not create an eventfd for the libunbound thread (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>
    /// Calls <paramref name="onReadable"/> (on this thread) whenever <paramref name="fd"/> is
    /// readable; returns once <see cref="Wake"/> has been called, at once if it already was.
    /// Also returns if poll fails for good or <paramref name="fd"/> is not open, rather than spin.
    /// </summary>
    public unsafe void Run(int fd, Action onReadable)
    {
        var fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = fd, Events = PollIn };
        fds[1] = new PollFd { Fd = _wakeFd, Events = PollIn };
        while (true)
        {
            fds[0].Revents = 0;
            fds[1].Revents = 0;
            if (Poll(fds, 2, -1) < 0)
            {
                if (Marshal.GetLastPInvokeError() == Eintr)
                {
                    continue;
                }

                return;
            }

            if (fds[1].Revents != 0 || (fds[0].Revents & PollNval) != 0)
            {
                return;
            }

            if (fds[0].Revents != 0)
            {
                onReadable();
            }
        }
    }

    /// <summary>Makes <see cref="Run"/> return, now or as soon as it starts. Safe from any thread, repeatable.</summary>
    public unsafe void Wake()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ulong one = 1;
        _ = Write(_wakeFd, &one, sizeof(ulong));
    }

    /// <summary>Closes the eventfd; call only after <see cref="Run"/> has returned.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _ = Close(_wakeFd);
        }
    }

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private unsafe static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private unsafe static partial nint Write(int fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
