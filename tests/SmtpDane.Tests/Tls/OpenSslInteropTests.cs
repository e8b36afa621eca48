using SmtpDane.Tls;

namespace SmtpDane.Tests.Tls;

/// <summary>Our client against <c>openssl s_server</c> on loopback, TLS 1.2 and 1.3, with a staple.</summary>
public class OpenSslInteropTests
{
    private static readonly DaneTlsClient Client = new(TimeSpan.FromSeconds(20));

    [SkippableTheory]
    [InlineData("-tls1_2", "TLSv1.2")]
    [InlineData("-tls1_3", "TLSv1.3")]
    public async Task ConnectAsync_OpenSslServer_RecordsChainAndStapleAndExchangesData(string flag, string version)
    {
        Skip.IfNot(File.Exists(OpenSslServer.OpenSsl), $"{OpenSslServer.OpenSsl} is not installed (testbed/install.sh installs openssl)");
        await using var server = await OpenSslServer.StartAsync(flag, BcTestServer.Staple);
        using var tcp = await TlsTestIo.ConnectAsync(server.Port);

        await using var tls = await Client.ConnectAsync(tcp.GetStream(), "mx.example.org", CancellationToken.None);

        Assert.Equal(version, tls.Info.Version);
        Assert.StartsWith("TLS_", tls.Info.CipherSuite, StringComparison.Ordinal);
        Assert.Equal([server.Leaf.Der, server.Root.Der], tls.Info.Certificates);
        Assert.Equal(BcTestServer.Staple, tls.Info.OcspStaple);

        await TlsTestIo.WriteLineAsync(tls.Stream, "hello");
        Assert.Equal("olleh", await TlsTestIo.ReadLineAsync(tls.Stream));
    }
}
