using SmtpDane.Findings;

using SmtpDane.Tests.Net;

namespace SmtpDane.IntegrationTests.Faults;

/// <summary>Faults in the TLS handshake after a successful STARTTLS.</summary>
public class TlsFaultTests
{
    [Fact]
    public async Task FatalAlert_TlsFailed()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp(afterStartTls: FaultScripts.TlsReplying(FaultScripts.FatalAlert(40))));

        var r = await FaultBed.RunAsync("TLS alert handshake_failure", server.Port);

        FaultBed.AssertFails(r, FindingCodes.TlsFailed);
    }

    [Fact]
    public async Task GarbageInsteadOfServerHello_TlsFailed()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp(
            afterStartTls: FaultScripts.TlsReplying("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray())));

        var r = await FaultBed.RunAsync("garbage instead of ServerHello", server.Port);

        FaultBed.AssertFails(r, FindingCodes.TlsFailed);
    }

    [Fact]
    public async Task HandshakeStallsHalfWay_TlsTimeout()
    {
        var flight = FaultScripts.Tls12HelloAndCertificate(FaultScripts.CertificateList([FaultScripts.Certificate.RawData]));
        await using var server = new LoopbackServer(FaultScripts.Smtp(afterStartTls: FaultScripts.TlsReplying(flight[..(flight.Length / 2)])));

        var r = await FaultBed.RunAsync("TLS handshake stalls half-way", server.Port, ["-step-timeout", "1s"]);

        FaultBed.AssertFails(r, FindingCodes.TlsTimeout);
    }

    [Fact]
    public async Task EmptyCertificateList_TlsNoCertificates()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp(
            afterStartTls: FaultScripts.TlsReplying(FaultScripts.Tls12HelloAndCertificate([]))));

        var r = await FaultBed.RunAsync("empty certificate list", server.Port);

        FaultBed.AssertFails(r, FindingCodes.TlsNoCertificates);
    }

    [Fact]
    public async Task ChainOf200Certificates_TlsFailed()
    {
        var chain = FaultScripts.CertificateList(Enumerable.Repeat(FaultScripts.Certificate.RawData, 200));
        await using var server = new LoopbackServer(FaultScripts.Smtp(
            afterStartTls: FaultScripts.TlsReplying(FaultScripts.Tls12HelloAndCertificate(chain))));

        var r = await FaultBed.RunAsync("chain of 200 certificates", server.Port);

        FaultBed.AssertFails(r, FindingCodes.TlsFailed);
    }

    [Fact]
    public async Task MalformedCertificate_Fails()
    {
        byte[] garbage = [0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x05, 0xff, 0xfe];
        await using var server = new LoopbackServer(FaultScripts.Smtp(
            afterStartTls: FaultScripts.TlsReplying(FaultScripts.Tls12HelloAndCertificate(FaultScripts.CertificateList([garbage])))));

        var r = await FaultBed.RunAsync("malformed certificate", server.Port, ["-step-timeout", "1s"]);

        FaultBed.AssertFails(r, FindingCodes.TlsFailed);
    }
}
