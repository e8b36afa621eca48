using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace SmtpDane.Exporter;

/// <summary>
/// Kestrel connection middleware that bounds open HTTP connections. Unlike Kestrel's own
/// MaxConcurrentConnections, which closes an excess connection without a word, a connection over
/// the limit gets one "503 Service Unavailable" and is closed, so even a refused scrape is
/// answered, unless <see cref="MaxRefusing"/> refusals are already under way: then it is closed at
/// once (a flood must not turn into descriptor exhaustion). The request is drained briefly before closing: closing with unread data would
/// send a TCP reset that can destroy the 503 before the client reads it (RFC 9112 §9.6).
/// </summary>
public sealed class ConnectionGate
{
    private static readonly byte[] Refusal = Encoding.ASCII.GetBytes(
        "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 38\r\n\r\ntoo many connections to the exporter\r\n");

    /// <summary>How long a refused connection may take to send its request before it is closed.</summary>
    private static readonly TimeSpan DrainTime = TimeSpan.FromMilliseconds(500);

    /// <summary>Refusals in progress at once; beyond this a connection is closed unanswered, so a flood cannot exhaust descriptors.</summary>
    public const int MaxRefusing = 32;

    private readonly int _max;
    private readonly ExporterCounters _counters;
    private int _open;
    private int _refusing;

    public ConnectionGate(int max, ExporterCounters counters)
    {
        _max = max;
        _counters = counters;
    }

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _open) > _max)
        {
            Interlocked.Decrement(ref _open);
            try
            {
                if (Interlocked.Increment(ref _refusing) > MaxRefusing)
                {
                    _counters.ConnectionDropped();
                    connection.Abort();
                    return;
                }

                _counters.ConnectionRefused();
                await RefuseAsync(connection).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _refusing);
            }

            return;
        }

        _counters.ConnectionOpened();
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            _counters.ConnectionClosed();
            Interlocked.Decrement(ref _open);
        }
    };

    private static async Task RefuseAsync(ConnectionContext connection)
    {
        try
        {
            await connection.Transport.Output.WriteAsync(Refusal).ConfigureAwait(false);
            using var drain = new CancellationTokenSource(DrainTime);
            var read = 0L;
            while (read < 64 * 1024)
            {
                var result = await connection.Transport.Input.ReadAsync(drain.Token).ConfigureAwait(false);
                read += result.Buffer.Length;
                var done = result.IsCompleted || result.IsCanceled || HasRequestEnd(result.Buffer);
                connection.Transport.Input.AdvanceTo(result.Buffer.End);
                if (done)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException)
        {
            // Closed below either way.
        }
    }

    private static bool HasRequestEnd(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, "\r\n\r\n"u8, advancePastDelimiter: false);
    }
}
