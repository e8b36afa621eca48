using Org.BouncyCastle.Tls;
using SmtpDane.Tls;

namespace SmtpDane.Tests.Tls;

public class DaneTlsClientTests
{
    private static readonly DaneTlsClient Client = new(TimeSpan.FromSeconds(20));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConnectAsync_BcServer_RecordsChainVersionSuiteAndStaple(bool tls13)
    {
        await using var server = new BcTestServer(tls13 ? ProtocolVersion.TLSv13 : ProtocolVersion.TLSv12);
        using var tcp = await TlsTestIo.ConnectAsync(server.Port);

        await using var tls = await Client.ConnectAsync(tcp.GetStream(), "mx.example.org", CancellationToken.None);

        Assert.Equal(tls13 ? "TLSv1.3" : "TLSv1.2", tls.Info.Version);
        Assert.Equal(tls13 ? "TLS_AES_256_GCM_SHA384" : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", tls.Info.CipherSuite);
        Assert.Equal(2, tls.Info.Certificates.Count);
        Assert.Equal(server.Leaf.Der, tls.Info.Certificates[0]);
        Assert.Equal(server.Root.Der, tls.Info.Certificates[1]);
        Assert.Equal(BcTestServer.Staple, tls.Info.OcspStaple);
        Assert.True(tls.Info.HandshakeTime > TimeSpan.Zero);
        Assert.True(server.ReceivedStatusRequest);
        server.ThrowIfFailed();
    }

    [Theory]
    [InlineData("TLSv1.0")]
    [InlineData("TLSv1.1")]
    public async Task ConnectAsync_ServerLimitedToOldTls_ConnectsSoItCanBeReported(string version)
    {
        // RFC 8996: such a server is reported (tls.old-version), so the client must still reach it.
        await using var server = new BcTestServer(version == "TLSv1.0" ? ProtocolVersion.TLSv10 : ProtocolVersion.TLSv11);
        using var tcp = await TlsTestIo.ConnectAsync(server.Port);

        await using var tls = await Client.ConnectAsync(tcp.GetStream(), "mx.example.org", CancellationToken.None);

        Assert.Equal(version, tls.Info.Version);
        Assert.Equal("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", tls.Info.CipherSuite);
        Assert.NotNull(SmtpDane.Probing.TlsHygiene.OldVersion(tls.Info.Version, "x"));
        server.ThrowIfFailed();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stream_AfterHandshake_ExchangesApplicationDataBothWays(bool tls13)
    {
        await using var server = new BcTestServer(tls13 ? ProtocolVersion.TLSv13 : ProtocolVersion.TLSv12);
        using var tcp = await TlsTestIo.ConnectAsync(server.Port);
        await using var tls = await Client.ConnectAsync(tcp.GetStream(), "mx.example.org", CancellationToken.None);

        await TlsTestIo.WriteLineAsync(tls.Stream, "EHLO smtpdane.invalid");
        Assert.Equal("250 EHLO smtpdane.invalid", await TlsTestIo.ReadLineAsync(tls.Stream));
        await TlsTestIo.WriteLineAsync(tls.Stream, "QUIT");
        Assert.Equal("250 QUIT", await TlsTestIo.ReadLineAsync(tls.Stream));

        // The server then sends close_notify: a clean end of stream.
        Assert.Null(await TlsTestIo.ReadLineAsync(tls.Stream));
        Assert.Equal(["EHLO smtpdane.invalid", "QUIT"], server.ReceivedLines);
        server.ThrowIfFailed();
    }

    [Fact]
    public async Task Stream_ServerClosesWithoutCloseNotify_EndsCleanly()
    {
        await using var server = new BcTestServer(ProtocolVersion.TLSv13);
        using var tcp = await TlsTestIo.ConnectAsync(server.Port);
        await using var tls = await Client.ConnectAsync(tcp.GetStream(), "mx.example.org", CancellationToken.None);

        await TlsTestIo.WriteLineAsync(tls.Stream, "DROP");

        Assert.Null(await TlsTestIo.ReadLineAsync(tls.Stream));
    }

    [Fact]
    public async Task Stream_SynchronousRead_IsNotSupported()
    {
        await using var server = new BcTestServer(ProtocolVersion.TLSv12);
        using var tcp = await TlsTestIo.ConnectAsync(server.Port);
        await using var tls = await Client.ConnectAsync(tcp.GetStream(), "mx.example.org", CancellationToken.None);

        Assert.Throws<NotSupportedException>(() => tls.Stream.Read(new byte[1], 0, 1));
    }

    [Theory]
    [InlineData("mx.example.org", "mx.example.org")]
    [InlineData("mx.example.org.", "mx.example.org")]
    [InlineData("127.0.0.1", null)]
    [InlineData("::1", null)]
    public async Task ConnectAsync_ServerName_IsSentAsSniUnlessAnAddress(string serverName, string? expectedSni)
    {
        await using var server = new BcTestServer(ProtocolVersion.TLSv13);
        using var tcp = await TlsTestIo.ConnectAsync(server.Port);

        await using var tls = await Client.ConnectAsync(tcp.GetStream(), serverName, CancellationToken.None);

        Assert.Equal(expectedSni, server.ReceivedSni);
    }

    [Fact]
    public async Task ConnectAsync_NonAsciiServerName_Throws()
    {
        using var stream = new MemoryStream();
        await Assert.ThrowsAsync<ArgumentException>(() => Client.ConnectAsync(stream, "mx.exämple.org", CancellationToken.None));
    }
}
