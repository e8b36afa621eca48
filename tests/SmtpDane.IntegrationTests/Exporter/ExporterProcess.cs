using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SmtpDane.IntegrationTests.Exporter;

/// <summary>
/// `smtpdane serve` as its own process (the NativeAOT binary, optionally under
/// `prlimit --nofile=N`), so a descriptor limit and RSS apply to the exporter alone.
/// </summary>
public sealed class ExporterProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ExporterProcess(Process process, IPEndPoint endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// The NativeAOT binary (artifacts/aot/smtpdane, published by scripts/aot-smoke.sh, which
    /// scripts/test.sh runs before these tests): the form the service runs in. The JIT build
    /// cannot live under 256 descriptors: its runtime keeps two per loaded assembly open (about
    /// 170 for the exporter) and fails to load the next one when they run out.
    /// </summary>
    public static string Binary()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "smtpdane.slnx")))
        {
            dir = dir.Parent;
        }

        var binary = Path.Combine(dir?.FullName ?? ".", "artifacts/aot/smtpdane");
        Assert.True(File.Exists(binary), $"{binary} missing: run scripts/aot-smoke.sh --publish-only first (scripts/test.sh does)");
        return binary;
    }

    public static async Task<ExporterProcess> StartAsync(int? descriptorLimit, params string[] flags)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(descriptorLimit is null ? Binary() : "prlimit")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (descriptorLimit is { } n)
        {
            info.ArgumentList.Add($"--nofile={n}:{n}");
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(Binary());
        }

        foreach (var a in new[] { "serve", "-listen", $"127.0.0.1:{port}" }.Concat(flags))
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var exporter = new ExporterProcess(process, new IPEndPoint(IPAddress.Loopback, port));
        for (var i = 0; i < 600; i++)
        {
            Assert.False(process.HasExited, $"exporter exited early with {(process.HasExited ? process.ExitCode : 0)}");
            var probe = await RawHttp.ExchangeAsync(exporter.Endpoint, Get("/metrics"), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));
            if (probe.Statuses is [200])
            {
                return exporter;
            }

            await Task.Delay(50);
        }

        Assert.Fail("exporter did not come up within 30 s");
        return exporter;
    }

    public static byte[] Get(string target, string extraHeaders = "") =>
        System.Text.Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extraHeaders}\r\n");

    /// <summary>Peak resident set size (VmHWM) in MiB.</summary>
    public double PeakRssMiB() => StatusKiB("VmHWM:") / 1024.0;

    public double RssMiB() => StatusKiB("VmRSS:") / 1024.0;

    /// <summary>TCP sockets in CLOSE-WAIT on the exporter's port or owned by the exporter process.</summary>
    public int CloseWaitSockets()
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{_process.Id}/fd"))
        {
            var target = new FileInfo(fd).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(target[8..^1]);
            }
        }

        var count = 0;
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var localPort = int.Parse(f[1][(f[1].IndexOf(':', StringComparison.Ordinal) + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (f[3] == "08" && (localPort == Endpoint.Port || inodes.Contains(f[9])))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>SIGTERM, then the exit code (the exporter must stop cleanly).</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private long StatusKiB(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
