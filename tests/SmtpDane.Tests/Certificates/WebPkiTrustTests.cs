using SmtpDane.Certificates;
using SmtpDane.Cli;

namespace SmtpDane.Tests.Certificates;

/// <summary>-ca-file is read under its cap whatever the file type (a device reports length 0).</summary>
public sealed class WebPkiTrustTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Load_DevZero_RefusedAtTheCap()
    {
        // FileInfo.Length is 0 for /dev/zero: a length check never fired and the read ran until memory ran out.
        var load = Task.Run(() => WebPkiTrust.Load(["/dev/zero"], useSystem: false));
        var e = await Assert.ThrowsAsync<CertificateParseException>(() => load.WaitAsync(Guard));
        Assert.Contains($"is larger than {WebPkiTrust.MaxBytes} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaFileFlag_DevZero_UsageErrorNotAHang()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var run = CommandLineApp.RunAsync(
            ["-mx", "-mta-sts", "-ca-file", "/dev/zero", "example.org"], stdout, stderr, new Dictionary<string, string?>(), false, CancellationToken.None);
        var code = await run.WaitAsync(Guard);
        Assert.True(code == 1, $"exit {code}: {stderr}"); // a bad value, not bad syntax (README, exit codes)
        Assert.Contains("invalid -ca-file", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PemFile_ImportsItsCertificates()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var key = System.Security.Cryptography.ECDsa.Create();
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Test Root", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(path, cert.ExportCertificatePem());
            var trust = WebPkiTrust.Load([path], useSystem: false);
            Assert.Equal("CN=Test Root", Assert.Single(trust.Anchors).Subject);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
