using System.Net;
using System.Net.Sockets;
using System.Text;
using SmtpDane.Findings;

using SmtpDane.Tests.Net;

namespace SmtpDane.IntegrationTests.Faults;

/// <summary>
/// Connection and SMTP-dialogue faults, each a hostile loopback server probed by the whole program:
/// the verdict is an error with the code naming the fault, within the deadline, never a crash.
/// </summary>
public class SmtpFaultTests
{
    [Fact]
    public async Task Baseline_GoodServer_Verifies()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp());

        var r = await FaultBed.RunAsync("baseline (good server)", server.Port);

        Assert.True(r.Run.ExitCode == 0, r.Run.Stdout + r.Run.Stderr);
        Assert.Equal("ok", r.Status);
        Assert.Contains(FindingCodes.DaneVerified, r.Codes);
    }

    [Fact]
    public async Task ConnectionRefused_ConnectFailed()
    {
        var r = await FaultBed.RunAsync("connection refused", LoopbackServer.FreePort());

        FaultBed.AssertFails(r, FindingCodes.ConnectFailed);
    }

    [SkippableFact]
    public async Task ConnectBlackholed_ConnectTimeout()
    {
        // Linux drops SYNs to a listener whose accept queue is full: a blackhole on loopback.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            Skip.IfNot(await FillBacklogAsync(port, fillers), "this OS refuses or accepts connections to a full backlog instead of dropping the SYN");

            var r = await FaultBed.RunAsync("connect blackholed", port, ["-connect-timeout", "1s"]);

            FaultBed.AssertFails(r, FindingCodes.ConnectTimeout);
        }
        finally
        {
            fillers.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task BannerNeverSent_SmtpTimeout()
    {
        await using var server = new LoopbackServer(FaultScripts.DrainAsync);

        var r = await FaultBed.RunAsync("banner never sent", server.Port, ["-step-timeout", "1s"]);

        FaultBed.AssertFails(r, FindingCodes.SmtpTimeout);
    }

    [Theory]
    [InlineData("421 4.3.2 mx.fault.test busy, try later\r\n")]
    [InlineData("554 5.7.1 no SMTP service here\r\n")]
    public async Task BannerRejected_SmtpBannerRejected(string banner)
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp(banner: banner));

        var r = await FaultBed.RunAsync($"banner {banner[..3]}", server.Port);

        FaultBed.AssertFails(r, FindingCodes.SmtpBannerRejected);
    }

    [Fact]
    public async Task BannerDribbled_SmtpTimeoutWithinStep()
    {
        await using var server = new LoopbackServer(async (s, ct) =>
        {
            foreach (var b in Encoding.ASCII.GetBytes("220 mx.fault.test a very slow greeting indeed\r\n"))
            {
                await s.WriteAsync(new[] { b }, ct);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }

            await FaultScripts.DrainAsync(s, ct);
        });

        var r = await FaultBed.RunAsync("banner dribbled 1 byte/s", server.Port, ["-step-timeout", "2s"]);

        FaultBed.AssertFails(r, FindingCodes.SmtpTimeout);
        Assert.True(r.Elapsed < TimeSpan.FromSeconds(2) + FaultBed.Margin, $"a 2s step took {r.Elapsed}");
    }

    [Fact]
    public async Task EndlessMultilineBanner_SmtpProtocol()
    {
        await using var server = new LoopbackServer(async (s, ct) =>
        {
            var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("220-mx.fault.test and more\r\n", 100)));
            while (true)
            {
                await s.WriteAsync(chunk, ct);
            }
        });

        var r = await FaultBed.RunAsync("endless 220- banner", server.Port);

        FaultBed.AssertFails(r, FindingCodes.SmtpProtocol);
    }

    [Fact]
    public async Task TenMegabyteLine_SmtpProtocol()
    {
        await using var server = new LoopbackServer(async (s, ct) =>
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'a');
            "220 "u8.CopyTo(chunk);
            for (var i = 0; i < 160; i++)
            {
                await s.WriteAsync(chunk, ct);
            }

            await FaultScripts.WriteAsync(s, "\r\n", ct);
            await FaultScripts.DrainAsync(s, ct);
        });

        var r = await FaultBed.RunAsync("10 MB banner line", server.Port);

        FaultBed.AssertFails(r, FindingCodes.SmtpProtocol);
    }

    [Fact]
    public async Task EhloRejected_SmtpEhloRejected()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp(ehlo: "550 5.7.1 go away\r\n"));

        var r = await FaultBed.RunAsync("EHLO rejected 550", server.Port);

        FaultBed.AssertFails(r, FindingCodes.SmtpEhloRejected);
    }

    [Fact]
    public async Task StartTlsNotOffered_SmtpNoStartTls()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp(ehlo: "250-mx.fault.test\r\n250 8BITMIME\r\n"));

        var r = await FaultBed.RunAsync("STARTTLS not offered", server.Port);

        FaultBed.AssertFails(r, FindingCodes.SmtpNoStartTls);
    }

    [Fact]
    public async Task StartTls454_SmtpStartTlsRejected()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp(startTls: "454 4.7.0 TLS not available\r\n"));

        var r = await FaultBed.RunAsync("STARTTLS 454", server.Port);

        FaultBed.AssertFails(r, FindingCodes.SmtpStartTlsRejected);
    }

    [Fact]
    public async Task ClosedAfterStartTls220_TlsFailed()
    {
        await using var server = new LoopbackServer(FaultScripts.Smtp(afterStartTls: (_, _) => Task.CompletedTask));

        var r = await FaultBed.RunAsync("closed after STARTTLS 220", server.Port);

        FaultBed.AssertFails(r, FindingCodes.TlsFailed);
    }

    [Fact]
    public async Task ClosedMidBanner_SmtpClosed()
    {
        await using var server = new LoopbackServer((s, ct) => FaultScripts.WriteAsync(s, "220-mx.fault.test\r\n220-more", ct));

        var r = await FaultBed.RunAsync("closed mid-banner", server.Port);

        FaultBed.AssertFails(r, FindingCodes.SmtpClosed);
    }

    [SkippableFact]
    public async Task TwoAddresses_OneBad_BothReported()
    {
        // 127.0.0.1 works, 127.0.0.2 (same port) refuses service: both must appear, the run fails.
        await using var good = new LoopbackServer(FaultScripts.Smtp());
        LoopbackServer bad;
        try
        {
            bad = new LoopbackServer(FaultScripts.Smtp(banner: "554 5.3.2 not today\r\n"), IPAddress.Parse("127.0.0.2"), good.Port);
        }
        catch (SocketException e)
        {
            throw new SkipException($"no 127.0.0.2 to listen on here: {e.Message}");
        }

        await using (bad)
        {
            var r = await FaultBed.RunAsync("two addresses, one bad", good.Port, addresses: ["127.0.0.1", "127.0.0.2"]);

            Assert.Equal(1, r.Run.ExitCode);
            Assert.Equal("error", r.Status);
            var statuses = r.AddressStatuses();
            Assert.Equal("ok", statuses["127.0.0.1"]);
            Assert.Equal("error", statuses["127.0.0.2"]);
            Assert.Contains(FindingCodes.SmtpBannerRejected, r.Codes);
            Assert.Contains(FindingCodes.DaneVerified, r.Codes);
        }
    }

    /// <summary>Connects until one connect attempt stalls (true) or the OS refuses (false).</summary>
    private static async Task<bool> FillBacklogAsync(int port, List<Socket> fillers)
    {
        for (var i = 0; i < 16; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
                fillers.Add(s);
            }
            catch (OperationCanceledException)
            {
                s.Dispose();
                return true;
            }
            catch (SocketException)
            {
                s.Dispose();
                return false;
            }
        }

        return false;
    }
}
