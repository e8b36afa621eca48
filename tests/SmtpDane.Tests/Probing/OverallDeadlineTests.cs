using System.Net;
using SmtpDane.Batch;
using SmtpDane.Dns;
using SmtpDane.Findings;
using SmtpDane.Model;
using SmtpDane.Net;
using SmtpDane.Probing;
using SmtpDane.Tests.Batch;
using SmtpDane.Tests.Discovery;

namespace SmtpDane.Tests.Probing;

/// <summary>
/// The overall -timeout of a run and of each batch line, on a <see cref="TestClock"/>: a probe
/// still connecting when it passes ends as run.timeout, and nothing ends before it.
/// </summary>
public class OverallDeadlineTests
{
    private static readonly TimeSpan Overall = TimeSpan.FromSeconds(45);

    private static FakeDnsResolver Dns() =>
        TargetDiscovererTests.SecureHost(
            new FakeDnsResolver().Mx("example.org", DnsSecurity.Secure, new MxRecord(10, "mx.example.org")),
            "mx.example.org",
            "192.0.2.25");

    [Fact]
    public async Task ProbeRunner_ProbeStillConnecting_RunTimeoutAtTheOverallDeadline()
    {
        var clock = new TestClock();
        var connector = new HangingConnector();
        var settings = new ProbeSettings { Mode = TargetMode.Mx, OverallTimeout = Overall };
        var runner = new ProbeRunner(Dns(), connector, settings, null, clock);

        var run = runner.RunAsync([ProbeRequest.For(new Target("example.org", TargetMode.Mx, "example.org", null), settings)], CancellationToken.None);
        await connector.Entered.Task.WaitAsync(TestClock.HangGuard);
        Assert.False(run.IsCompleted);
        await clock.ElapseAsync(Overall);

        var result = await run.WaitAsync(TestClock.HangGuard);
        var address = Assert.Single(Assert.Single(result.Targets[0].Hosts).Addresses);
        var timeout = Assert.Single(address.Findings, f => f.Code == FindingCodes.RunTimeout);
        Assert.Contains("(45s)", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchRunner_ProbeStillConnecting_RunTimeoutAtTheLineDeadline()
    {
        var clock = new TestClock();
        var connector = new HangingConnector();
        using var runner = new BatchRunner(Dns(), connector, new ProbeSettings { Mode = TargetMode.Mx, OverallTimeout = Overall }, null, clock, 1);
        var results = new List<TargetResult>();

        var run = runner.RunAsync(
            BatchRunnerTests.Lines(TargetMode.Mx, ["example.org"]),
            (_, result, _) =>
            {
                results.Add(result);
                return ValueTask.CompletedTask;
            },
            CancellationToken.None);
        await connector.Entered.Task.WaitAsync(TestClock.HangGuard);
        Assert.False(run.IsCompleted);
        await clock.ElapseAsync(Overall);
        await run.WaitAsync(TestClock.HangGuard);

        var address = Assert.Single(Assert.Single(Assert.Single(results).Hosts).Addresses);
        Assert.Contains(address.Findings, f => f.Code == FindingCodes.RunTimeout);
    }

    /// <summary>Connects to nothing: waits until cancelled, after telling the test it was asked.</summary>
    private sealed class HangingConnector : IConnector
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<Stream> ConnectAsync(IPAddress address, int port, CancellationToken ct)
        {
            Entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        }
    }
}
