using SmtpDane.Tests.Net;
using SmtpDane.Tls;

namespace SmtpDane.Tests.Tls;

public class DaneTlsClientFaultTests
{
    private static readonly DaneTlsClient Client = new(TimeSpan.FromSeconds(20));

    [Fact]
    public async Task ConnectAsync_PlaintextSmtpReply_ReportsNotTls()
    {
        await using var server = ScriptedServers.Plaintext("220 mx.example.org ESMTP\r\n");

        var ex = await HandshakeFailsAsync(server);

        Assert.Equal(TlsHandshakeFailure.NotTls, ex.Failure);
        Assert.Equal("not a TLS server reply (first bytes 32 32 30 20: plaintext SMTP?)", ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_Garbage_ReportsNotTlsWithoutSmtpHint()
    {
        await using var server = ScriptedServers.Replying([0xde, 0xad, 0xbe, 0xef, 0x00]);

        var ex = await HandshakeFailsAsync(server);

        Assert.Equal("not a TLS server reply (first bytes de ad be ef)", ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_ServerCloses_ReportsClosed()
    {
        await using var server = ScriptedServers.Closing();

        var ex = await HandshakeFailsAsync(server);

        Assert.Equal(TlsHandshakeFailure.ConnectionClosed, ex.Failure);
        Assert.Equal("server closed the connection during the TLS handshake", ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_ServerAlert_NamesTheAlert()
    {
        await using var server = ScriptedServers.Replying(ScriptedServers.FatalAlert(40));

        var ex = await HandshakeFailsAsync(server);

        Assert.Equal(TlsHandshakeFailure.AlertReceived, ex.Failure);
        Assert.Equal(40, ex.Alert);
        Assert.Equal("TLS handshake failed: server sent alert handshake_failure(40)", ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_ServerCloseNotifyMidHandshake_NamesTheAlert()
    {
        await using var server = ScriptedServers.Replying([21, 3, 3, 0, 2, 1, 0]);

        var ex = await HandshakeFailsAsync(server);

        Assert.Equal(TlsHandshakeFailure.AlertReceived, ex.Failure);
        Assert.Equal("TLS handshake failed: server sent alert close_notify(0)", ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_EmptyCertificateList_IsReportedDistinctly()
    {
        await using var server = ScriptedServers.Replying(ScriptedServers.Tls12HelloAndCertificate([]));

        var ex = await HandshakeFailsAsync(server);

        Assert.Equal(TlsHandshakeFailure.EmptyCertificateList, ex.Failure);
        Assert.Equal("TLS handshake failed: server sent an empty certificate list", ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_TooManyCertificates_FailsWithLimit()
    {
        await using var server = ScriptedServers.Replying(
            ScriptedServers.Tls12HelloAndCertificate(ScriptedServers.CertificateList(DaneTlsClient.MaxCertificates + 1, 10)));

        var ex = await HandshakeFailsAsync(server);

        Assert.Equal(TlsHandshakeFailure.LimitExceeded, ex.Failure);
        Assert.Equal("TLS handshake failed: server sent more than 32 certificates", ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_OversizedCertificate_FailsWithLimit()
    {
        await using var server = ScriptedServers.Replying(
            ScriptedServers.Tls12HelloAndCertificate(ScriptedServers.CertificateList(1, DaneTlsClient.MaxCertificateBytes + 1)));

        var ex = await HandshakeFailsAsync(server);

        Assert.Equal(TlsHandshakeFailure.LimitExceeded, ex.Failure);
        Assert.Equal("TLS handshake failed: server certificate #1 is 65537 bytes, over our limit of 65536", ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_StallingServer_TimesOut()
    {
        var clock = new TestClock();
        await using var server = ScriptedServers.Stalling();
        using var tcp = await TlsTestIo.ConnectAsync(server.Port);
        var client = new DaneTlsClient(TimeSpan.FromMilliseconds(200), clock);

        var handshake = client.ConnectAsync(tcp.GetStream(), "mx.example.org", CancellationToken.None);
        await clock.ElapseAsync(TimeSpan.FromMilliseconds(200));

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => handshake.WaitAsync(TestClock.HangGuard));
        Assert.Equal("timeout during TLS handshake after 200ms", ex.Message);
    }

    [Fact]
    public async Task ConnectAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var clock = new TestClock();
        await using var server = ScriptedServers.Stalling();
        using var tcp = await TlsTestIo.ConnectAsync(server.Port);
        using var cts = new CancellationTokenSource();

        var handshake = new DaneTlsClient(TimeSpan.FromSeconds(20), clock).ConnectAsync(tcp.GetStream(), "mx.example.org", cts.Token);
        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(20)); // handshaking, well within its deadline
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake.WaitAsync(TestClock.HangGuard));

        Assert.IsNotType<TimeoutException>(ex.InnerException);
    }

    private static async Task<TlsHandshakeException> HandshakeFailsAsync(LoopbackServer server)
    {
        using var tcp = await TlsTestIo.ConnectAsync(server.Port);
        return await Assert.ThrowsAsync<TlsHandshakeException>(
            () => Client.ConnectAsync(tcp.GetStream(), "mx.example.org", CancellationToken.None));
    }
}
