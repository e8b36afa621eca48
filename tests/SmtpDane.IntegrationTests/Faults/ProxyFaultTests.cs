using SmtpDane.Findings;

using SmtpDane.Tests.Net;

namespace SmtpDane.IntegrationTests.Faults;

/// <summary>A SOCKS5 proxy (-proxy-tcp) that refuses, closes, babbles or stalls.</summary>
public class ProxyFaultTests
{
    [Fact]
    public async Task ProxyNotListening_ProxyFailed()
    {
        var r = await RunAsync("proxy not listening", LoopbackServer.FreePort());

        FaultBed.AssertFails(r, FindingCodes.ProxyFailed);
    }

    /// <summary>REP 3-6 blame the target (connect.failed); the others blame the proxy.</summary>
    [Theory]
    [InlineData(1, FindingCodes.ProxyFailed)]
    [InlineData(2, FindingCodes.ProxyFailed)]
    [InlineData(5, FindingCodes.ConnectFailed)]
    [InlineData(0x7f, FindingCodes.ProxyFailed)]
    public async Task ProxyRefusesConnect_Fails(byte rep, string code)
    {
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            await ReadGreetingAsync(s, ct);
            await s.WriteAsync(new byte[] { 5, 0 }, ct);
            await s.ReadExactlyAsync(new byte[10], ct);
            await s.WriteAsync(new byte[] { 5, rep, 0, 1, 0, 0, 0, 0, 0, 0 }, ct);
            await FaultScripts.DrainAsync(s, ct);
        });

        var r = await RunAsync($"proxy refuses CONNECT (REP {rep})", proxy.Port);

        FaultBed.AssertFails(r, code);
    }

    [Fact]
    public async Task ProxyWantsAuthentication_ProxyFailed()
    {
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            await ReadGreetingAsync(s, ct);
            await s.WriteAsync(new byte[] { 5, 0xff }, ct);
            await FaultScripts.DrainAsync(s, ct);
        });

        var r = await RunAsync("proxy accepts no method", proxy.Port);

        FaultBed.AssertFails(r, FindingCodes.ProxyFailed);
    }

    [Fact]
    public async Task ProxyCloses_ProxyFailed()
    {
        await using var proxy = new LoopbackServer((_, _) => Task.CompletedTask);

        var r = await RunAsync("proxy closes at once", proxy.Port);

        FaultBed.AssertFails(r, FindingCodes.ProxyFailed);
    }

    [Fact]
    public async Task ProxyClosesMidReply_ProxyFailed()
    {
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            await ReadGreetingAsync(s, ct);
            await s.WriteAsync(new byte[] { 5, 0 }, ct);
            await s.ReadExactlyAsync(new byte[10], ct);
            await s.WriteAsync(new byte[] { 5, 0, 0, 1, 127 }, ct);
        });

        var r = await RunAsync("proxy closes mid-reply", proxy.Port);

        FaultBed.AssertFails(r, FindingCodes.ProxyFailed);
    }

    [Fact]
    public async Task ProxyAnswersGarbage_ProxyFailed()
    {
        await using var proxy = new LoopbackServer(async (s, ct) =>
        {
            await FaultScripts.WriteAsync(s, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", ct);
            await FaultScripts.DrainAsync(s, ct);
        });

        var r = await RunAsync("proxy answers garbage (HTTP)", proxy.Port);

        FaultBed.AssertFails(r, FindingCodes.ProxyFailed);
    }

    [Fact]
    public async Task ProxyStalls_ConnectTimeout()
    {
        await using var proxy = new LoopbackServer(FaultScripts.DrainAsync);

        var r = await RunAsync("proxy stalls", proxy.Port, "1s");

        FaultBed.AssertFails(r, FindingCodes.ConnectTimeout);
    }

    private static Task<FaultRun> RunAsync(string fault, int proxyPort, string connectTimeout = "2s") =>
        FaultBed.RunAsync(fault, 25, ["-proxy-tcp", $"socks5://127.0.0.1:{proxyPort}", "-connect-timeout", connectTimeout]);

    private static async Task ReadGreetingAsync(Stream s, CancellationToken ct)
    {
        var head = new byte[2];
        await s.ReadExactlyAsync(head, ct);
        await s.ReadExactlyAsync(new byte[head[1]], ct);
    }
}
