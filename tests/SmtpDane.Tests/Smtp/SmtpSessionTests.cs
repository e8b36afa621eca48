using SmtpDane.Model;
using SmtpDane.Smtp;


namespace SmtpDane.Tests.Smtp;

public class SmtpSessionTests
{
    private const string Helo = "probe.example.net";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    public static TheoryData<Delivery> Deliveries => [Delivery.Whole, Delivery.ByteByByte, Delivery.LineByLine];

    private static readonly Transcript HappyPath = Transcript.Parse("""
        S: 220 mx.example.org ESMTP Postfix
        C: EHLO probe.example.net
        S: 250-mx.example.org
        S: 250-PIPELINING
        S: 250-SIZE 10240000
        S: 250-starttls
        S: 250-ENHANCEDSTATUSCODES
        S: 250 8BITMIME
        C: STARTTLS
        S: 220 2.0.0 Ready to start TLS
        """);

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task FullExchange_Replayed_Succeeds(Delivery delivery)
    {
        using var stream = HappyPath.Stream(delivery);
        var session = new SmtpSession(stream, Step);

        var greeting = await session.ReadGreetingAsync(CancellationToken.None);
        var ehlo = await session.EhloAsync(Helo, CancellationToken.None);
        var tls = await session.StartTlsAsync(CancellationToken.None);

        Assert.Equal(220, greeting.Code);
        Assert.True(ehlo.SupportsStartTls);
        Assert.Contains("SIZE", ehlo.Extensions);
        Assert.Contains("8bitmime", ehlo.Extensions);
        Assert.DoesNotContain("MX.EXAMPLE.ORG", ehlo.Extensions);
        Assert.Equal(220, tls.Reply.Code);
        Assert.Equal(0, tls.DiscardedPlaintextBytes);
        Assert.Equal(HappyPath.ClientLines, stream.Written);
        Assert.Equal(0, stream.Unread);
        Assert.Equal(10, session.Transcript.Entries.Count);
        Assert.Equal(new SmtpTranscriptEntry(SmtpDirection.Client, "EHLO probe.example.net"), session.Transcript.Entries[1]);
        Assert.Equal(new SmtpTranscriptEntry(SmtpDirection.Server, "250-PIPELINING"), session.Transcript.Entries[3]);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task StartTlsAsync_NotOffered_EhloSaysSo(Delivery delivery)
    {
        var t = Transcript.Parse("""
            S: 220 mx.example.org ESMTP
            C: EHLO probe.example.net
            S: 250-mx.example.org
            S: 250 PIPELINING
            """);
        using var stream = t.Stream(delivery);
        var session = new SmtpSession(stream, Step);

        await session.ReadGreetingAsync(CancellationToken.None);
        var ehlo = await session.EhloAsync(Helo, CancellationToken.None);

        Assert.False(ehlo.SupportsStartTls);
        Assert.Equal(["PIPELINING"], ehlo.Extensions);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task StartTlsAsync_454_ThrowsCommandExceptionWithReply(Delivery delivery)
    {
        var t = Transcript.Parse("""
            S: 220 mx.example.org ESMTP
            C: EHLO probe.example.net
            S: 250 STARTTLS
            C: STARTTLS
            S: 454 4.7.0 TLS not available
            """);
        using var stream = t.Stream(delivery);
        var session = new SmtpSession(stream, Step);
        await session.ReadGreetingAsync(CancellationToken.None);
        await session.EhloAsync(Helo, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => session.StartTlsAsync(CancellationToken.None));

        Assert.Equal("STARTTLS rejected: 454 4.7.0 TLS not available", ex.Message);
        Assert.Equal("STARTTLS", ex.Command);
        Assert.Equal(454, ex.Reply!.Code);
        Assert.True(ex.Reply.IsTransientNegative);
    }

    [Fact]
    public async Task StartTlsAsync_PlaintextPiggybacked_DiscardedAndCounted()
    {
        // CVE-2011-0411: bytes after the 220 must never be read as a reply or handed to TLS.
        var t = Transcript.Parse("""
            S: 220 mx.example.org ESMTP
            C: EHLO probe.example.net
            S: 250 STARTTLS
            C: STARTTLS
            S: 220 2.0.0 go ahead
            S: 250-injected
            S: 250 AUTH PLAIN
            """);
        using var stream = t.Stream(Delivery.Whole);
        var session = new SmtpSession(stream, Step);
        await session.ReadGreetingAsync(CancellationToken.None);
        await session.EhloAsync(Helo, CancellationToken.None);

        var tls = await session.StartTlsAsync(CancellationToken.None);

        Assert.Equal("250-injected\r\n250 AUTH PLAIN\r\n".Length, tls.DiscardedPlaintextBytes);
        await Assert.ThrowsAsync<InvalidOperationException>(() => session.EhloAsync(Helo, CancellationToken.None));
    }

    [Theory]
    [InlineData("554 5.7.1 No SMTP service here", "server greeting rejected: 554 5.7.1 No SMTP service here")]
    [InlineData("421 4.3.2 busy", "server greeting rejected: 421 4.3.2 busy")]
    public async Task ReadGreetingAsync_Not220_ThrowsCommandException(string greeting, string message)
    {
        using var stream = new ScriptedStream([greeting + "\r\n"], Delivery.Whole);

        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => new SmtpSession(stream, Step).ReadGreetingAsync(CancellationToken.None));

        Assert.Equal(message, ex.Message);
        Assert.Null(ex.Command);
    }

    [Theory]
    [InlineData("550 5.7.1 go away")]
    [InlineData("502 5.5.2 command not recognized")]
    [InlineData("421 4.7.0 closing")]
    public async Task EhloAsync_Rejected_ThrowsAndDoesNotFallBackToHelo(string reply)
    {
        using var stream = new ScriptedStream(["220 hi\r\n", reply + "\r\n", "250 hello\r\n"], Delivery.LineByLine);
        var session = new SmtpSession(stream, Step);
        await session.ReadGreetingAsync(CancellationToken.None);

        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => session.EhloAsync(Helo, CancellationToken.None));

        Assert.Equal("EHLO rejected: " + reply, ex.Message);
        Assert.Equal("EHLO probe.example.net\r\n", stream.Written);
    }

    [Fact]
    public async Task ReadGreetingAsync_SlowDrip_TimesOutForWholeStep()
    {
        // Each byte arrives quickly (20 ms) but the greeting would take seconds: the deadline is per step, not per read.
        var clock = new TestClock();
        var perByte = TimeSpan.FromMilliseconds(20);
        using var stream = new ScriptedStream(["220 " + new string('x', 200) + "\r\n"], Delivery.ByteByByte, perByte, clock);
        var session = new SmtpSession(stream, TimeSpan.FromMilliseconds(300), timeProvider: clock);

        var greeting = session.ReadGreetingAsync(CancellationToken.None);
        for (var read = 0; read < 15; read++)
        {
            Assert.False(greeting.IsCompleted, $"the step ended after {read} reads, before its 300 ms");
            await clock.ElapseAsync(perByte);
        }

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => greeting.WaitAsync(TestClock.HangGuard));
        Assert.Equal("timeout while reading server greeting", ex.Message);
    }

    [Fact]
    public async Task EhloAsync_SilentServer_TimesOut()
    {
        var clock = new TestClock();
        using var stream = new ScriptedStream(["220 hi\r\n"], Delivery.Whole) { HangAtEnd = true };
        var session = new SmtpSession(stream, Step, timeProvider: clock);
        await session.ReadGreetingAsync(CancellationToken.None);

        var ehlo = session.EhloAsync(Helo, CancellationToken.None);
        await clock.ElapseAsync(Step);

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => ehlo.WaitAsync(TestClock.HangGuard));
        Assert.Equal("timeout while reading reply to EHLO", ex.Message);
    }

    [Fact]
    public async Task ReadGreetingAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var clock = new TestClock();
        using var stream = new ScriptedStream([], Delivery.Whole) { HangAtEnd = true };
        var session = new SmtpSession(stream, Step, timeProvider: clock);
        using var cts = new CancellationTokenSource();

        var greeting = session.ReadGreetingAsync(cts.Token);
        await clock.WaitForTimerAsync(Step); // waiting for the server, well within the step
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => greeting.WaitAsync(TestClock.HangGuard));

        Assert.IsNotType<TimeoutException>(ex);
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task ReadGreetingAsync_EofMidGreeting_ThrowsProtocolException(Delivery delivery)
    {
        using var stream = new ScriptedStream(["220-mx.example.org\r\n220-still"], delivery);

        var ex = await Assert.ThrowsAsync<SmtpProtocolException>(() => new SmtpSession(stream, Step).ReadGreetingAsync(CancellationToken.None));

        Assert.Equal("connection closed by server while reading server greeting", ex.Message);
        Assert.True(ex.ConnectionClosed);
    }

    [Fact]
    public async Task ReadGreetingAsync_NotSmtp_ThrowsProtocolException()
    {
        using var stream = new ScriptedStream(["HTTP/1.1 400 Bad Request\r\n"], Delivery.Whole);

        var ex = await Assert.ThrowsAsync<SmtpProtocolException>(() => new SmtpSession(stream, Step).ReadGreetingAsync(CancellationToken.None));

        Assert.StartsWith("server greeting line does not start with a valid reply code", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad\r\nRCPT TO:<x@example.org>")]
    [InlineData("two words")]
    [InlineData("nul\0")]
    [InlineData("")]
    public async Task EhloAsync_UnsafeName_ThrowsArgumentException(string helo)
    {
        using var stream = new ScriptedStream(["220 hi\r\n"], Delivery.Whole);
        var session = new SmtpSession(stream, Step);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => session.EhloAsync(helo, CancellationToken.None));
        Assert.Equal("", stream.Written);
    }

    [Fact]
    public async Task QuitAsync_Replied_SendsQuit()
    {
        using var stream = new ScriptedStream(["220 hi\r\n", "221 bye\r\n"], Delivery.Whole);
        var session = new SmtpSession(stream, Step);
        await session.ReadGreetingAsync(CancellationToken.None);

        await session.QuitAsync(CancellationToken.None);

        Assert.Equal("QUIT\r\n", stream.Written);
    }

    [Fact]
    public async Task QuitAsync_PeerClosed_DoesNotThrow()
    {
        using var stream = new ScriptedStream(["220 hi\r\n"], Delivery.Whole);
        var session = new SmtpSession(stream, Step);
        await session.ReadGreetingAsync(CancellationToken.None);

        await session.QuitAsync(CancellationToken.None);
    }

    [Fact]
    public async Task QuitAsync_SilentPeer_DoesNotThrow()
    {
        var clock = new TestClock();
        using var stream = new ScriptedStream([], Delivery.Whole) { HangAtEnd = true };

        var quit = new SmtpSession(stream, Step, timeProvider: clock).QuitAsync(CancellationToken.None);
        await clock.ElapseAsync(Step);

        await quit.WaitAsync(TestClock.HangGuard);
        Assert.Equal("QUIT\r\n", stream.Written);
    }

    [Fact]
    public async Task QuitAsync_DisposedStream_DoesNotThrow()
    {
        var stream = new ScriptedStream([], Delivery.Whole);
        await stream.DisposeAsync();

        await new SmtpSession(stream, Step).QuitAsync(CancellationToken.None);
    }

    [Fact]
    public async Task QuitAsync_CallerCancelled_Throws()
    {
        using var stream = new ScriptedStream([], Delivery.Whole) { HangAtEnd = true };
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new SmtpSession(stream, Step).QuitAsync(cts.Token));
    }

    [Fact]
    public async Task Transcript_Bounded_MarksTruncated()
    {
        using var stream = HappyPath.Stream(Delivery.Whole);
        var transcript = new SmtpTranscript(maxEntries: 3);
        var session = new SmtpSession(stream, Step, transcript);

        await session.ReadGreetingAsync(CancellationToken.None);
        await session.EhloAsync(Helo, CancellationToken.None);

        Assert.Equal(3, transcript.Entries.Count);
        Assert.True(transcript.IsTruncated);
    }

    [Fact]
    public void Constructor_NonPositiveTimeout_Throws()
    {
        using var stream = new ScriptedStream([], Delivery.Whole);

        Assert.Throws<ArgumentOutOfRangeException>(() => new SmtpSession(stream, TimeSpan.Zero));
    }
}
