using System.Net;
using SmtpDane.Dane;
using SmtpDane.Discovery;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.Net;
using SmtpDane.Probing;
using SmtpDane.Tests.Smtp;

namespace SmtpDane.Tests.Probing;

/// <summary>Failure classification: the step a probe was in decides the finding code.</summary>
public class AddressProberTests
{
    private static readonly IPAddress Address = IPAddress.Parse("192.0.2.25");

    private static readonly DiscoveredHost Host = new(
        "mx.example.org", 2525, 10, [], [Address], TlsaLookupOutcome.Usable, "mx.example.org", [], [], ["mx.example.org"]);

    [Fact]
    public async Task ProbeAsync_ConnectTimeout_NamesThePortFromTheHost()
    {
        var result = await Probe(new ThrowingConnector(new TimeoutException("connecting timed out after 10s")));

        var f = Assert.Single(result.Findings);
        Assert.Equal(FindingCodes.ConnectTimeout, f.Code);
        Assert.Equal("\"mx.example.org\"[192.0.2.25]:2525: connecting timed out after 10s; check that the server is up and port 2525 is reachable", f.Message);
    }

    [Theory]
    [InlineData(new[] { "554 go away\r\n" }, FindingCodes.SmtpBannerRejected)]
    [InlineData(new[] { "220 hi\r\n", "550 no EHLO\r\n" }, FindingCodes.SmtpEhloRejected)]
    [InlineData(new[] { "220 hi\r\n", "250-hi\r\n250 STARTTLS\r\n", "454 not now\r\n" }, FindingCodes.SmtpStartTlsRejected)]
    public async Task ProbeAsync_RejectedStep_CodeNamesTheStep(string[] script, string code)
    {
        var result = await Probe(new ScriptConnector(script));

        Assert.Equal(code, result.Findings[^1].Code);
    }

    [Fact]
    public async Task ProbeAsync_ClosedDuringEhlo_MessageNamesTheStep()
    {
        var result = await Probe(new ScriptConnector(["220 hi\r\n"]));

        var f = result.Findings[^1];
        Assert.Equal(FindingCodes.SmtpClosed, f.Code);
        Assert.Contains(": EHLO: ", f.Message, StringComparison.Ordinal);
    }

    private static Task<AddressResult> Probe(IConnector connector) =>
        new AddressProber(connector, new ProbeSettings(), TimeProvider.System).ProbeAsync(Host, Address, CancellationToken.None);

    private sealed class ThrowingConnector(Exception e) : IConnector
    {
        public Task<Stream> ConnectAsync(IPAddress address, int port, CancellationToken ct) => Task.FromException<Stream>(e);
    }

    private sealed class ScriptConnector(string[] script) : IConnector
    {
        public Task<Stream> ConnectAsync(IPAddress address, int port, CancellationToken ct) =>
            Task.FromResult<Stream>(new ScriptedStream(script, Delivery.Whole));
    }
}
