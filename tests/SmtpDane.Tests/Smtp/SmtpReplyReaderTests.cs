using SmtpDane.Model;
using SmtpDane.Smtp;


namespace SmtpDane.Tests.Smtp;

public class SmtpReplyReaderTests
{
    public static TheoryData<Delivery> Deliveries => [Delivery.Whole, Delivery.ByteByByte, Delivery.LineByLine];

    private static async Task<SmtpReply> ReadAsync(string serverBytes, Delivery delivery = Delivery.Whole)
    {
        using var stream = new ScriptedStream([serverBytes], delivery);
        return await new SmtpReplyReader(stream).ReadReplyAsync(CancellationToken.None);
    }

    private static async Task<SmtpProtocolException> FailAsync(string serverBytes, Delivery delivery = Delivery.Whole) =>
        await Assert.ThrowsAsync<SmtpProtocolException>(() => ReadAsync(serverBytes, delivery));

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task ReadReplyAsync_SingleLine_ParsesCodeAndText(Delivery delivery)
    {
        var reply = await ReadAsync("220 mx.example.org ESMTP ready\r\n", delivery);

        Assert.Equal(220, reply.Code);
        Assert.Equal(["mx.example.org ESMTP ready"], reply.Lines);
        Assert.Equal("220 mx.example.org ESMTP ready", reply.ToString());
        Assert.True(reply.IsPositiveCompletion);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task ReadReplyAsync_MultiLine_FoldsLines(Delivery delivery)
    {
        var reply = await ReadAsync("250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 STARTTLS\r\n", delivery);

        Assert.Equal(250, reply.Code);
        Assert.Equal(["mx.example.org", "PIPELINING", "SIZE 10240000", "STARTTLS"], reply.Lines);
        Assert.Equal(
            ["250-mx.example.org", "250-PIPELINING", "250-SIZE 10240000", "250 STARTTLS"],
            reply.ToWireLines());
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task ReadReplyAsync_BareLf_Accepted(Delivery delivery)
    {
        var reply = await ReadAsync("250-a\n250 b\n", delivery);

        Assert.Equal(["a", "b"], reply.Lines);
    }

    [Fact]
    public async Task ReadReplyAsync_CodeOnly_IsFinalLineWithEmptyText()
    {
        var reply = await ReadAsync("250-first\r\n250\r\n");

        Assert.Equal(["first", ""], reply.Lines);
        Assert.Equal(["250-first", "250"], reply.ToWireLines());
    }

    [Theory]
    [InlineData("2x0 nope\r\n")]
    [InlineData("abc\r\n")]
    [InlineData("25\r\n")]
    [InlineData("\r\n")]
    [InlineData("650 bad first digit\r\n")]
    [InlineData("170 bad first digit\r\n")]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n")]
    public async Task ReadReplyAsync_InvalidCode_Throws(string bytes)
    {
        var ex = await FailAsync(bytes);

        Assert.Contains("valid reply code", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.ConnectionClosed);
    }

    [Theory]
    [InlineData("250x\r\n")]
    [InlineData("2500 hello\r\n")]
    [InlineData("250\tSTARTTLS\r\n")]
    public async Task ReadReplyAsync_MissingSeparator_Throws(string bytes)
    {
        var ex = await FailAsync(bytes);

        Assert.Contains("no separator", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task ReadReplyAsync_MismatchedContinuationCode_Throws(Delivery delivery)
    {
        var ex = await FailAsync("250-mx.example.org\r\n251 STARTTLS\r\n", delivery);

        Assert.Contains("mismatched reply codes 250 and 251", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task ReadReplyAsync_OverLongLine_Throws(Delivery delivery)
    {
        var ex = await FailAsync("250 " + new string('x', 5000) + "\r\n", delivery);

        Assert.Contains("longer than 4096 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadReplyAsync_LineAtExactLimit_Accepted()
    {
        // 4096 bytes including CRLF.
        var reply = await ReadAsync("250 " + new string('x', 4090) + "\r\n");

        Assert.Equal(4090, reply.Lines[0].Length);
    }

    [Fact]
    public async Task ReadReplyAsync_EndlessContinuation_StopsAtLineCap()
    {
        using var stream = new EndlessStream("220-still greeting you\r\n"u8.ToArray());
        var reader = new SmtpReplyReader(stream);

        var ex = await Assert.ThrowsAsync<SmtpProtocolException>(() => reader.ReadReplyAsync(CancellationToken.None));

        Assert.Contains("longer than 256 lines", ex.Message, StringComparison.Ordinal);
        Assert.True(stream.BytesRead < 64 * 1024);
    }

    [Fact]
    public async Task ReadReplyAsync_EndlessLongContinuation_StopsAtByteCap()
    {
        var line = System.Text.Encoding.ASCII.GetBytes("250-" + new string('y', 4000) + "\r\n");
        using var stream = new EndlessStream(line);
        var reader = new SmtpReplyReader(stream);

        var ex = await Assert.ThrowsAsync<SmtpProtocolException>(() => reader.ReadReplyAsync(CancellationToken.None));

        Assert.Contains("longer than 65536 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task ReadReplyAsync_EofMidReply_ThrowsConnectionClosed(Delivery delivery)
    {
        var ex = await FailAsync("250-mx.example.org\r\n250-PIPE", delivery);

        Assert.True(ex.ConnectionClosed);
        Assert.Equal("connection closed by server while reading reply", ex.Message);
    }

    [Fact]
    public async Task ReadReplyAsync_EofBeforeAnyByte_ThrowsConnectionClosed()
    {
        var ex = await FailAsync("");

        Assert.True(ex.ConnectionClosed);
    }

    [Fact]
    public async Task ReadReplyAsync_IOException_ThrowsConnectionClosed()
    {
        using var stream = new FailingStream();
        var reader = new SmtpReplyReader(stream);

        var ex = await Assert.ThrowsAsync<SmtpProtocolException>(() => reader.ReadReplyAsync(CancellationToken.None));

        Assert.True(ex.ConnectionClosed);
        Assert.IsType<IOException>(ex.InnerException);
    }

    [Fact]
    public async Task ReadReplyAsync_NonAsciiBytes_KeptAsLatin1()
    {
        var reply = await ReadAsync("220 caf\u00e9 \u00ff\u0001\u001b[31m\r\n");

        Assert.Equal("caf\u00e9 \u00ff\u0001\u001b[31m", reply.Lines[0]);
    }

    [Fact]
    public async Task ReadReplyAsync_TwoRepliesInOneRead_SecondStaysBuffered()
    {
        using var stream = new ScriptedStream(["220 ready\r\n250 extra\r\n"], Delivery.Whole);
        var reader = new SmtpReplyReader(stream);

        var first = await reader.ReadReplyAsync(CancellationToken.None);

        Assert.Equal(220, first.Code);
        Assert.True(reader.HasBufferedData);
        Assert.Equal(11, reader.BufferedByteCount);
        var second = await reader.ReadReplyAsync(CancellationToken.None);
        Assert.Equal(250, second.Code);
        Assert.False(reader.HasBufferedData);
    }

    [Fact]
    public async Task DiscardBufferedData_DropsAndCounts()
    {
        using var stream = new ScriptedStream(["220 ready\r\n250 extra\r\n"], Delivery.Whole);
        var reader = new SmtpReplyReader(stream);
        await reader.ReadReplyAsync(CancellationToken.None);

        Assert.Equal(11, reader.DiscardBufferedData());
        Assert.False(reader.HasBufferedData);
        await Assert.ThrowsAsync<SmtpProtocolException>(() => reader.ReadReplyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadReplyAsync_RecordsRawLinesInTranscript()
    {
        using var stream = new ScriptedStream(["250-ok\r\n251 bad\r\n"], Delivery.Whole);
        var transcript = new SmtpTranscript();

        await Assert.ThrowsAsync<SmtpProtocolException>(() => new SmtpReplyReader(stream, transcript).ReadReplyAsync(CancellationToken.None));

        Assert.Equal(["250-ok", "251 bad"], transcript.Entries.Select(e => e.Line));
        Assert.All(transcript.Entries, e => Assert.Equal(SmtpDirection.Server, e.Direction));
    }

    [Fact]
    public void ToString_Capped_EndsWithEllipsis()
    {
        var reply = new SmtpReply(554, [new string('z', 100)]);

        Assert.Equal(20, reply.ToString(20).Length);
        Assert.EndsWith("…", reply.ToString(20), StringComparison.Ordinal);
    }

    /// <summary>Repeats a pattern forever and counts what was read.</summary>
    private sealed class EndlessStream(byte[] pattern) : Stream
    {
        private long _position;

        public long BytesRead => _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var span = buffer.Span;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = pattern[(int)(_position++ % pattern.Length)];
            }

            return ValueTask.FromResult(span.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(new IOException("Connection reset by peer"));

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
