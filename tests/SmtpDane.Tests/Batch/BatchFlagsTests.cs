using SmtpDane.Batch;
using SmtpDane.Cli;
using SmtpDane.Tests.Cli;

namespace SmtpDane.Tests.Batch;

public class BatchFlagsTests
{
    [Fact]
    public void Parse_FileWithoutHosts_BatchDefaults()
    {
        var o = CliTestHelper.Ok("-mx", "-f", "domains.txt");
        Assert.Empty(o.Targets);
        Assert.Equal(new BatchOptions("domains.txt", 32, 64, ShardSpec.All, o.Batch!.Services), o.Batch);
        Assert.False(o.Probe.RolloverCheck);
    }

    [Fact]
    public void Parse_AllBatchFlags()
    {
        var o = CliTestHelper.Ok("-f", "-", "-parallel", "8", "-dns-parallel", "16", "-shard", "2/4", "-rollover-check");
        Assert.Equal(8, o.Batch!.Parallel);
        Assert.Equal(16, o.Batch.DnsParallel);
        Assert.Equal(new ShardSpec(2, 4), o.Batch.Shard);
        Assert.True(o.Probe.RolloverCheck);
    }

    [Theory]
    [InlineData("-f and host arguments conflict", "-f", "x.txt", "example.org")]
    [InlineData("-f and -json conflict", "-json", "-f", "x.txt")]
    [InlineData("-f and -nagios conflict", "-nagios", "-f", "x.txt")]
    [InlineData("invalid -parallel", "-parallel", "0", "-f", "x.txt")]
    [InlineData("invalid -dns-parallel", "-dns-parallel", "many", "-f", "x.txt")]
    [InlineData("invalid -shard", "-shard", "5/4", "-f", "x.txt")]
    [InlineData("-shard needs -f", "-shard", "1/4", "example.org")]
    [InlineData("serve takes no host arguments", "serve", "example.org")]
    [InlineData("invalid -listen", "serve", "-listen", "nowhere")]
    [InlineData("-f is for batch runs", "serve", "-f", "x.txt")]
    [InlineData("invalid -allow-targets \"10.0.0.1/8\"", "serve", "-allow-targets", "10.0.0.1/8")]
    [InlineData("invalid -allow-targets \"::/129\"", "serve", "-allow-targets", "::/129")]
    [InlineData("invalid -allow-targets \"bad_name!\"", "serve", "-allow-targets", "bad_name!")]
    [InlineData("invalid -max-connections", "serve", "-max-connections", "0")]
    [InlineData("-allow-targets and -max-connections are for serve", "-allow-targets", "example.org", "example.org")]
    public void Parse_BadBatchOrServeFlags_Error(string expected, params string[] args) =>
        Assert.Contains(expected, CliTestHelper.Error(args), StringComparison.Ordinal);

    [Fact]
    public void Parse_Serve_Defaults()
    {
        var o = CliTestHelper.Ok("serve", "-timeout", "20s");
        Assert.Equal(("127.0.0.1:9125", 32, TimeSpan.FromSeconds(30), 4096), (o.Serve!.Listen, o.Serve.Parallel, o.Serve.CacheTtl, o.Serve.MaxConnections));
        Assert.False(o.Serve.AllowTargets.HasNetworks);
        Assert.Null(o.Batch);
    }

    [Theory]
    [InlineData("127.0.0.1:9125", true)]
    [InlineData("[::1]:9125", true)]
    [InlineData("*:9125", true)]
    [InlineData("localhost:80", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.0.0.1:0", false)]
    [InlineData("example.org:9125", false)]
    public void TrySplitListen(string listen, bool ok) =>
        Assert.Equal(ok, BatchFlags.TrySplitListen(listen, out _, out _));

    [Fact]
    public async Task Run_StdinWithOnlyBadLines_JsonLinesAndExitOne()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CommandLineApp.RunAsync(
            ["-json-lines", "-f", "-"],
            new StringReader("# nothing to probe\nmx two words\n"),
            stdout,
            stderr,
            new Dictionary<string, string?> { ["DNS_RESOLVER"] = "127.0.0.1:53" },
            stdoutIsTerminal: false,
            stderrIsTerminal: false,
            CancellationToken.None);

        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2, stdout + stderr.ToString());
        Assert.Contains("\"code\":\"batch.invalid-line\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"type\":\"run\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"targets\":1", lines[1], StringComparison.Ordinal);
        Assert.Equal(1, code);
    }

    [Fact]
    public void ProgressLine_WithTotal_ShowsRateAndEta() =>
        Assert.Equal(
            "smtpdane: 50/150 targets, 5.0/s, 2 failed, ETA 0:00:20",
            BatchProgress.Line(50, 2, 150, TimeSpan.FromSeconds(10)));
}
