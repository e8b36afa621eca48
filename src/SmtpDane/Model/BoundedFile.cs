namespace SmtpDane.Model;

/// <summary>
/// The one way input files (-trust-anchor, -f, -ca-file) are opened and read. The size cap is
/// counted on the bytes actually read, not taken from the file's length (0 for /dev/zero and
/// pipes), and opening and every read honour cancellation: opening a FIFO blocks until a writer
/// appears and a read from one blocks until data comes, and neither can be interrupted in the
/// kernel, so both run on a worker thread that the caller stops waiting for when cancelled.
/// </summary>
public static class BoundedFile
{
    /// <summary>Opens <paramref name="path"/> for reading; the stream throws <see cref="FileTooLargeException"/> past <paramref name="maxBytes"/>.</summary>
    public static async Task<Stream> OpenAsync(string path, long maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(path);
        ct.ThrowIfCancellationRequested();
        var opening = Task.Factory.StartNew(
            () => (Stream)new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            return new CappedStream(await opening.WaitAsync(ct).ConfigureAwait(false), path, maxBytes);
        }
        catch (OperationCanceledException)
        {
            // The open may still complete later (a writer appears): close what it opens.
            _ = opening.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>The whole file, at most <paramref name="maxBytes"/> bytes, else <see cref="FileTooLargeException"/>.</summary>
    public static async Task<byte[]> ReadAllBytesAsync(string path, long maxBytes, CancellationToken ct)
    {
        var stream = await OpenAsync(path, maxBytes, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                copy.Write(buffer, 0, n);
            }

            return copy.ToArray();
        }
    }

    /// <summary>
    /// <see cref="ReadAllBytesAsync"/> for a caller that cannot wait asynchronously (-ca-file, read
    /// while options are built): the same cap, but a blocked open or read cannot be cancelled.
    /// </summary>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        using var stream = new CappedStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0), path, maxBytes);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Counts bytes read and runs each blocking read on the thread pool, waited for with the caller's token.</summary>
    private sealed class CappedStream : Stream
    {
        private readonly Stream _inner;
        private readonly string _path;
        private readonly long _maxBytes;
        private long _read;

        public CappedStream(Stream inner, string path, long maxBytes)
        {
            _inner = inner;
            _path = path;
            _maxBytes = maxBytes;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(_inner.Read(buffer, offset, (int)Math.Min(count, _maxBytes - _read + 1)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var size = (int)Math.Min(buffer.Length, _maxBytes - _read + 1);
            var chunk = new byte[size];
            var n = await Task.Run(() => _inner.Read(chunk, 0, size), CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
            chunk.AsSpan(0, n).CopyTo(buffer.Span);
            return Count(n);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int n)
        {
            _read += n;
            if (_read > _maxBytes)
            {
                throw new FileTooLargeException($"{_path} is larger than {_maxBytes} bytes");
            }

            return n;
        }
    }
}
