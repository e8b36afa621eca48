using System.Text;

namespace SmtpDane.Tests.Smtp;

/// <summary>
/// A replayed SMTP server, like MailKit's SmtpReplayStream: response 0 (the greeting) is readable at
/// once, response i after the client has written its i-th CRLF-terminated line. Bytes are Latin-1.
/// When the script is exhausted reads return EOF, or hang until cancelled if <see cref="HangAtEnd"/>.
/// </summary>
internal sealed class ScriptedStream : Stream
{
    private readonly Queue<byte[]> _responses;
    private readonly Delivery _delivery;
    private readonly TimeSpan _delayPerRead;
    private readonly TimeProvider _time;
    private readonly MemoryStream _written = new();
    private readonly SemaphoreSlim _released = new(0);
    private byte[] _current = [];
    private int _offset;
    private int _releasable;

    /// <param name="delayPerRead">Each read waits this long on <paramref name="time"/> (a slow server).</param>
    public ScriptedStream(IEnumerable<string> responses, Delivery delivery, TimeSpan delayPerRead = default, TimeProvider? time = null)
    {
        _responses = new Queue<byte[]>(responses.Select(Encoding.Latin1.GetBytes));
        _delivery = delivery;
        _delayPerRead = delayPerRead;
        _time = time ?? TimeProvider.System;
        _releasable = 1;
    }

    /// <summary>Block instead of EOF when the script is used up (a silent server).</summary>
    public bool HangAtEnd { get; init; }

    public string Written => Encoding.Latin1.GetString(_written.ToArray());

    /// <summary>Bytes of the script the client never read.</summary>
    public int Unread => _current.Length - _offset + _responses.Sum(r => r.Length);

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_offset == _current.Length)
        {
            if (_releasable > 0 && _responses.Count > 0)
            {
                _releasable--;
                _current = _responses.Dequeue();
                _offset = 0;
                continue;
            }

            if (_responses.Count == 0 && !HangAtEnd)
            {
                return 0;
            }

            if (_responses.Count == 0)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            await _released.WaitAsync(cancellationToken);
        }

        if (_delayPerRead > TimeSpan.Zero)
        {
            await Task.Delay(_delayPerRead, _time, cancellationToken);
        }

        var available = _current.AsSpan(_offset);
        var n = _delivery switch
        {
            Delivery.ByteByByte => 1,
            Delivery.LineByLine => available.IndexOf((byte)'\n') is var lf and >= 0 ? lf + 1 : available.Length,
            _ => available.Length,
        };
        n = Math.Min(n, buffer.Length);
        available[..n].CopyTo(buffer.Span);
        _offset += n;
        return n;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _written.Write(buffer.Span);
        var lines = buffer.Span.Count((byte)'\n');
        _releasable += lines;
        if (lines > 0)
        {
            _released.Release(lines);
        }

        return ValueTask.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _released.Dispose();
            _written.Dispose();
        }

        base.Dispose(disposing);
    }
}
