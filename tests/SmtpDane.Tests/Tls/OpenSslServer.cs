using System.Diagnostics;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using SmtpDane.Tests.Net;
using SmtpDane.Tests.TestPki;

namespace SmtpDane.Tests.Tls;

/// <summary>
/// <c>openssl s_server</c> on 127.0.0.1 with a generated EC chain and a stapled OCSP response
/// (<c>-status_file</c>), in <c>-rev</c> mode (it answers each line reversed). Started with
/// <see cref="StartAsync"/>, which waits for "ACCEPT"; killed on dispose.
/// </summary>
internal sealed class OpenSslServer : IAsyncDisposable
{
    public const string OpenSsl = "/usr/bin/openssl";

    private readonly Process _process;
    private readonly string _dir;

    private OpenSslServer(Process process, string dir, int port, TestCertificate root, TestCertificate leaf)
    {
        _process = process;
        _dir = dir;
        Port = port;
        Root = root;
        Leaf = leaf;
    }

    public int Port { get; }

    public TestCertificate Root { get; }

    public TestCertificate Leaf { get; }

    public static async Task<OpenSslServer> StartAsync(string versionFlag, byte[] staple)
    {
        var root = Pki.CreateRoot("OpenSSL Test Root");
        var leaf = Pki.CreateLeaf(root, "mx.example.org", "mx.example.org");
        var dir = Directory.CreateTempSubdirectory("smtpdane-tls-").FullName;
        WritePem(Path.Combine(dir, "leaf.pem"), leaf.Certificate);
        WritePem(Path.Combine(dir, "chain.pem"), root.Certificate);
        WritePem(Path.Combine(dir, "key.pem"), PrivateKeyInfoFactory.CreatePrivateKeyInfo(leaf.PrivateKey));
        await File.WriteAllBytesAsync(Path.Combine(dir, "ocsp.der"), staple);

        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackServer.FreePort();
            var psi = new ProcessStartInfo(OpenSsl)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = dir,
            };
            foreach (var arg in new[]
            {
                "s_server", "-accept", $"127.0.0.1:{port}", versionFlag, "-cert", "leaf.pem", "-key", "key.pem",
                "-cert_chain", "chain.pem", "-status_file", "ocsp.der", "-rev", "-ign_eof",
            })
            {
                psi.ArgumentList.Add(arg);
            }

            var process = Process.Start(psi)!;
            _ = process.StandardError.ReadToEndAsync();
            if (await WaitForAcceptAsync(process))
            {
                _ = DrainAsync(process.StandardOutput);
                return new OpenSslServer(process, dir, port, root, leaf);
            }

            Kill(process);
            if (attempt == 2)
            {
                Directory.Delete(dir, recursive: true);
                throw new InvalidOperationException("openssl s_server did not start");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static async Task<bool> WaitForAcceptAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("ACCEPT", StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return false;
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is not null)
        {
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static void WritePem(string path, object value)
    {
        using var writer = new StreamWriter(path);
        var pem = new PemWriter(writer);
        pem.WriteObject(value);
    }
}
