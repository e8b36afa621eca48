using System.Net;
using Org.BouncyCastle.Tls;
using SmtpDane.Dane;
using SmtpDane.Discovery;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.Net;
using SmtpDane.Probing;
using SmtpDane.Tests.Tls;

namespace SmtpDane.Tests.Probing;

public class AddressProberHygieneTests
{
    [Fact]
    public async Task ProbeAsync_TlsOnConnectGreetingRejected_CertificateStillJudged()
    {
        await using var server = new BcTestServer(ProtocolVersion.TLSv12, greeting: "421 4.3.2 shutting down");
        var record = new TlsaRecord(3, 1, 1, TlsaMatcher.AssociationData(server.Leaf.Der, 1, 1));
        var host = new DiscoveredHost("mx.example.org", server.Port, null, [], [IPAddress.Loopback], TlsaLookupOutcome.Usable, "mx.example.org", [record], [record], ["mx.example.org"]);
        var settings = new ProbeSettings { TlsOnConnect = true, StepTimeout = TimeSpan.FromSeconds(20) };
        var prober = new AddressProber(new TcpConnector(TimeSpan.FromSeconds(20)), settings, TimeProvider.System);

        var result = await prober.ProbeAsync(host, IPAddress.Loopback, CancellationToken.None);

        var codes = result.Findings.Select(f => f.Code).ToList();
        Assert.Contains(FindingCodes.SmtpBannerRejected, codes);
        Assert.Contains(FindingCodes.DaneEeMatch, codes);
        Assert.Contains(FindingCodes.DaneVerified, codes);
    }

    [Theory]
    [InlineData("TLSv1.0", true)]
    [InlineData("TLSv1.1", true)]
    [InlineData("TLSv1.2", false)]
    [InlineData("TLSv1.3", false)]
    public void OldVersion_BelowTls12_Error(string version, bool flagged)
    {
        var finding = TlsHygiene.OldVersion(version, "\"mx.example.org\" port 25");

        Assert.Equal(flagged, finding is { Severity: Severity.Error, Code: FindingCodes.TlsOldVersion });
        if (finding is not null)
        {
            Assert.Equal(version, finding.Data!["version"]);
        }
    }
}
