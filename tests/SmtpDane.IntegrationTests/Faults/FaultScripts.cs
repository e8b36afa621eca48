using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SmtpDane.IntegrationTests.Faults;

/// <summary>Scripts for hostile SMTP servers: each a few lines, composed by the fault tests.</summary>
public static class FaultScripts
{
    public const string Banner = "220 mx.fault.test ESMTP\r\n";
    public const string EhloWithStartTls = "250-mx.fault.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n";

    /// <summary>A self-signed P-256 server certificate (valid a year) with its key.</summary>
    public static X509Certificate2 Certificate { get; } = CreateCertificate();

    /// <summary>SHA-256 of the certificate's SubjectPublicKeyInfo: the data of a 3 1 1 TLSA record.</summary>
    public static byte[] SpkiSha256 { get; } = SHA256.HashData(Certificate.PublicKey.ExportSubjectPublicKeyInfo());

    /// <summary>
    /// A plain SMTP dialogue: sends <paramref name="banner"/>, answers EHLO/HELO with
    /// <paramref name="ehlo"/>, STARTTLS with <paramref name="startTls"/> (then runs
    /// <paramref name="afterStartTls"/> when it began with 220), QUIT with 221.
    /// </summary>
    public static Func<NetworkStream, CancellationToken, Task> Smtp(
        string banner = Banner,
        string ehlo = EhloWithStartTls,
        string startTls = "220 2.0.0 go ahead\r\n",
        Func<NetworkStream, CancellationToken, Task>? afterStartTls = null) => async (stream, ct) =>
    {
        await WriteAsync(stream, banner, ct);
        while (true)
        {
            var line = await ReadLineAsync(stream, ct);
            if (line is null)
            {
                return;
            }

            var verb = line.Split(' ')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO" or "HELO":
                    await WriteAsync(stream, ehlo, ct);
                    break;
                case "STARTTLS":
                    await WriteAsync(stream, startTls, ct);
                    if (startTls.StartsWith("220", StringComparison.Ordinal))
                    {
                        await (afterStartTls ?? GoodTls)(stream, ct);
                        return;
                    }

                    break;
                case "QUIT":
                    await WriteAsync(stream, "221 2.0.0 bye\r\n", ct);
                    return;
                default:
                    await WriteAsync(stream, "502 5.5.2 what?\r\n", ct);
                    break;
            }
        }
    };

    /// <summary>A working server: TLS with <see cref="Certificate"/>, then EHLO and QUIT over TLS.</summary>
    public static async Task GoodTls(NetworkStream stream, CancellationToken ct)
    {
        await using var tls = new SslStream(stream, leaveInnerStreamOpen: true);
        await tls.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions { ServerCertificate = Certificate, ClientCertificateRequired = false },
            ct);
        while (true)
        {
            var line = await ReadLineAsync(tls, ct);
            if (line is null)
            {
                return;
            }

            if (line.StartsWith("QUIT", StringComparison.OrdinalIgnoreCase))
            {
                await WriteAsync(tls, "221 2.0.0 bye\r\n", ct);
                return;
            }

            await WriteAsync(tls, "250-mx.fault.test\r\n250 8BITMIME\r\n", ct);
        }
    }

    /// <summary>After STARTTLS 220: read the ClientHello, answer <paramref name="reply"/>, wait for the hang-up.</summary>
    public static Func<NetworkStream, CancellationToken, Task> TlsReplying(byte[] reply) => async (stream, ct) =>
    {
        await ReadClientHelloAsync(stream, ct);
        await stream.WriteAsync(reply, ct);
        await DrainAsync(stream, ct);
    };

    /// <summary>Says nothing until the client gives up.</summary>
    public static async Task DrainAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer, ct) > 0)
        {
        }
    }

    public static async Task ReadClientHelloAsync(Stream stream, CancellationToken ct)
    {
        var header = new byte[5];
        await stream.ReadExactlyAsync(header, ct);
        var body = new byte[(header[3] << 8) | header[4]];
        await stream.ReadExactlyAsync(body, ct);
    }

    /// <summary>A fatal alert record (RFC 8446 §6).</summary>
    public static byte[] FatalAlert(byte description) => [21, 3, 3, 0, 2, 2, description];

    /// <summary>TLS 1.2 ServerHello then a Certificate message with <paramref name="certificateListBody"/>, in ≤16 KiB records.</summary>
    public static byte[] Tls12HelloAndCertificate(byte[] certificateListBody)
    {
        var hello = new List<byte> { 3, 3 };
        hello.AddRange(new byte[32]);
        hello.Add(0);
        hello.AddRange([0xc0, 0x2f]); // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
        hello.Add(0);
        hello.AddRange([0, 5, 0xff, 0x01, 0, 1, 0]);

        var handshake = new List<byte>();
        handshake.AddRange(Handshake(2, [.. hello]));
        handshake.AddRange(Handshake(11, [.. Uint24(certificateListBody.Length), .. certificateListBody]));

        var records = new List<byte>();
        for (var off = 0; off < handshake.Count; off += 16384)
        {
            var chunk = handshake.Skip(off).Take(16384).ToArray();
            records.AddRange([22, 3, 3, (byte)(chunk.Length >> 8), (byte)chunk.Length]);
            records.AddRange(chunk);
        }

        return [.. records];
    }

    /// <summary>A certificate_list of the given DER blobs.</summary>
    public static byte[] CertificateList(IEnumerable<byte[]> certificates)
    {
        var list = new List<byte>();
        foreach (var der in certificates)
        {
            list.AddRange(Uint24(der.Length));
            list.AddRange(der);
        }

        return [.. list];
    }

    public static Task WriteAsync(Stream stream, string text, CancellationToken ct) =>
        stream.WriteAsync(Encoding.Latin1.GetBytes(text), ct).AsTask();

    /// <summary>One line without CRLF, or null at end of stream (lines capped at 4 KiB).</summary>
    public static async Task<string?> ReadLineAsync(Stream stream, CancellationToken ct)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (line.Length < 4096)
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                return null;
            }

            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }

        return line.ToString();
    }

    private static byte[] Handshake(byte type, byte[] body) => [type, .. Uint24(body.Length), .. body];

    private static byte[] Uint24(int n) => [(byte)(n >> 16), (byte)(n >> 8), (byte)n];

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=mx.fault.test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("mx.fault.test");
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(365));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }
}
