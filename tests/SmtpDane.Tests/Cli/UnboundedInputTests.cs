using System.Diagnostics;
using SmtpDane.Cli;
using SmtpDane.Model;

namespace SmtpDane.Tests.Cli;

/// <summary>
/// Inputs that used to have no bound: devices and FIFOs as -trust-anchor and -f, an empty
/// -proxy-tcp, IPv6 zone ids. Each run is in-process with a hard guard far above its own bound.
/// </summary>
public sealed class UnboundedInputTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("smtpdane-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Stderr)> RunAsync(CancellationToken ct, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLineApp.RunAsync(args, stdout, stderr, new Dictionary<string, string?>(), false, ct).WaitAsync(Guard);
        return (code, stderr.ToString());
    }

    private string Fifo()
    {
        var path = Path.Combine(_dir, "fifo");
        using var mkfifo = Process.Start("mkfifo", [path])!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    /// <summary>Lets a thread still blocked in open(2) on the FIFO finish, so no thread is left behind.</summary>
    private static void Unblock(string fifo)
    {
        try
        {
            using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task TrustAnchor_DevZero_CapHoldsWithClearError()
    {
        // FileInfo.Length is 0 for a device: the old cap never fired and the read grew to 4 GB.
        var (code, stderr) = await RunAsync(CancellationToken.None, "-dnssec", "local", "-trust-anchor", "/dev/zero", "example.org");
        Assert.Equal(2, code);
        Assert.Contains("is larger than 1048576 bytes", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-dnssec local -trust-anchor {fifo} example.org")]
    [InlineData("-f {fifo}")]
    public async Task FifoWithoutWriter_SignalCancels(string command)
    {
        var fifo = Fifo();
        using var cts = new CancellationTokenSource();
        var run = RunAsync(cts.Token, [.. command.Split(' ').Select(a => a == "{fifo}" ? fifo : a)]);
        await Task.Delay(200);
        Assert.False(run.IsCompleted);
        await cts.CancelAsync();
        var (code, stderr) = await run;
        Unblock(fifo);
        Assert.NotEqual(0, code);
        Assert.Contains("interrupted", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetFile_FifoWithoutWriter_TimeoutBoundsTheOpen()
    {
        var fifo = Fifo();
        var (code, stderr) = await RunAsync(CancellationToken.None, "-timeout", "300ms", "-f", fifo);
        Unblock(fifo);
        Assert.Equal(2, code);
        Assert.Contains("did not finish within -timeout", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetFile_DevZero_EndsWithClearError()
    {
        var (code, stderr) = await RunAsync(CancellationToken.None, "-f", "/dev/zero");
        Assert.Equal(1, code);
        Assert.Contains("NUL byte", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoundedFile_PastCap_Throws()
    {
        var path = Path.Combine(_dir, "big");
        await File.WriteAllBytesAsync(path, new byte[1001]);
        Assert.Equal(1001, (await BoundedFile.ReadAllBytesAsync(path, 1001, CancellationToken.None)).Length);
        await Assert.ThrowsAsync<FileTooLargeException>(() => BoundedFile.ReadAllBytesAsync(path, 1000, CancellationToken.None));
    }

    [Fact]
    public void ProxyTcp_Empty_UsageError() =>
        Assert.Contains("-proxy-tcp needs a URL", CliTestHelper.Error("-proxy-tcp", "", "example.org"), StringComparison.Ordinal);

    [Fact]
    public void ZoneId_UnknownInterface_RejectedWithReason() =>
        Assert.Contains("zone id \"nosuch0\" names no network interface", CliTestHelper.Error("fe80::1%nosuch0"), StringComparison.Ordinal);

    [Fact]
    public void ZoneId_Loopback_Kept()
    {
        var target = Assert.Single(CliTestHelper.Ok("fe80::1%lo").Targets);
        Assert.StartsWith("fe80::1%", target.Name, StringComparison.Ordinal);
        Assert.NotEqual("fe80::1%0", target.Name);
    }
}
