using Org.BouncyCastle.Tls;

namespace SmtpDane.Tls;

/// <summary>
/// Pumps a non-blocking BouncyCastle <see cref="TlsProtocol"/> over a transport with async I/O:
/// ciphertext in via OfferInput, out via ReadOutput, so no thread blocks. After the handshake it is
/// the application-data stream. One reader and one writer may run concurrently; BouncyCastle calls
/// (CPU only) are serialized by a lock, and transport writes by a gate that keeps records in order.
/// It never disposes the transport.
/// </summary>
internal sealed class TlsApplicationStream : Stream
{
    private const int ReceiveBufferBytes = 16 * 1024 + 512; // one full record (RFC 8446 §5.2)
    private static readonly TimeSpan CloseNotifyTimeout = TimeSpan.FromSeconds(2);

    private readonly Stream _transport;
    private readonly TlsProtocol _protocol;
    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly SemaphoreSlim _receiveGate = new(1, 1);
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferBytes];
    private bool _transportEof;
    private bool _disposed;

    public TlsApplicationStream(Stream transport, TlsProtocol protocol)
    {
        _transport = transport;
        _protocol = protocol;
    }

    public override bool CanRead => !_disposed;

    public override bool CanWrite => !_disposed;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Runs a BouncyCastle call under the protocol lock.</summary>
    public void Run(Action<TlsProtocol> action)
    {
        lock (_sync)
        {
            action(_protocol);
        }
    }

    /// <summary>Reads once from the transport into the receive buffer; 0 at EOF.</summary>
    public async Task<int> ReceiveAsync(CancellationToken ct) =>
        await _transport.ReadAsync(_receiveBuffer, ct).ConfigureAwait(false);

    /// <summary>The bytes the last <see cref="ReceiveAsync"/> read.</summary>
    public ReadOnlySpan<byte> Received(int count) => _receiveBuffer.AsSpan(0, count);

    /// <summary>Hands the last <see cref="ReceiveAsync"/>'s bytes to the protocol (may throw its alert).</summary>
    public void Offer(int count)
    {
        lock (_sync)
        {
            _protocol.OfferInput(_receiveBuffer, 0, count);
        }
    }

    /// <summary>Writes whatever ciphertext the protocol has queued (records, alerts) to the transport.</summary>
    public async Task SendPendingAsync(CancellationToken ct)
    {
        await _sendGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var pending = TakeOutput();
            if (pending is not null)
            {
                await _transport.WriteAsync(pending, ct).ConfigureAwait(false);
                await _transport.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>Sends queued ciphertext (typically our fatal alert) if the transport takes it quickly.</summary>
    public async Task SendPendingBestEffortAsync()
    {
        using var timeout = new CancellationTokenSource(CloseNotifyTimeout);
        try
        {
            await SendPendingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or NotSupportedException)
        {
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        await _receiveGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                lock (_sync)
                {
                    if (_protocol.GetAvailableInputBytes() > 0)
                    {
                        return _protocol.ReadApplicationData(buffer.Span);
                    }

                    if (_protocol.IsClosed || _transportEof)
                    {
                        return 0;
                    }
                }

                var n = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (n == 0)
                    {
                        // EOF without close_notify is a clean end for SMTP (DaneTlsPeer.RequiresCloseNotify).
                        _transportEof = true;
                        Run(p => p.CloseInput());
                        await SendPendingBestEffortAsync().ConfigureAwait(false);
                        continue;
                    }

                    Offer(n);
                }
                catch (TlsException ex)
                {
                    await SendPendingBestEffortAsync().ConfigureAwait(false);
                    throw new IOException($"TLS connection failed: {Describe(ex)}", ex);
                }

                // Replies the protocol owes (key update, our close_notify) go out now.
                await SendPendingAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _receiveGate.Release();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return;
        }

        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            byte[]? pending;
            try
            {
                lock (_sync)
                {
                    _protocol.WriteApplicationData(buffer.Span);
                }

                pending = TakeOutput();
            }
            catch (TlsException ex)
            {
                throw new IOException($"TLS connection failed: {Describe(ex)}", ex);
            }

            if (pending is not null)
            {
                await _transport.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
                await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendGate.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes are sent as they are made; nothing to flush.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    // No sync-over-async: the synchronous members are not supported.
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("use ReadAsync");

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("use WriteAsync");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Sends close_notify (RFC 8446 §6.1) best-effort, within a short timeout.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        CloseProtocol();
        await SendPendingBestEffortAsync().ConfigureAwait(false);
        _disposed = true;
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>"handshake_failure(40)" plus BouncyCastle's detail, if any.</summary>
    internal static string Describe(TlsException ex) => ex switch
    {
        TlsFatalAlertReceived r => $"server sent alert {TlsText.Alert(r.AlertDescription)}",
        TlsFatalAlert a => $"we sent alert {a.Message}",
        _ => ex.Message,
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            // Synchronous dispose cannot send; queue close_notify and drop it.
            CloseProtocol();
            _disposed = true;
        }

        base.Dispose(disposing);
    }

    private void CloseProtocol()
    {
        try
        {
            lock (_sync)
            {
                if (!_protocol.IsClosed)
                {
                    _protocol.Close();
                }
            }
        }
        catch (IOException)
        {
        }
    }

    private byte[]? TakeOutput()
    {
        lock (_sync)
        {
            var n = _protocol.GetAvailableOutputBytes();
            if (n == 0)
            {
                return null;
            }

            var bytes = new byte[n];
            _protocol.ReadOutput(bytes, 0, n);
            return bytes;
        }
    }
}
