using System.Net.Sockets;
using System.Text;
using SmtpDane.Tests.Net;

namespace SmtpDane.Tests.Tls;

/// <summary>Hostile and broken "TLS servers" on loopback, each a few bytes of script.</summary>
internal static class ScriptedServers
{
    /// <summary>Reads the whole ClientHello record, so closing afterwards sends FIN, not RST.</summary>
    public static async Task ReadClientHelloAsync(NetworkStream stream, CancellationToken ct)
    {
        var header = new byte[5];
        await stream.ReadExactlyAsync(header, ct);
        var body = new byte[(header[3] << 8) | header[4]];
        await stream.ReadExactlyAsync(body, ct);
    }

    /// <summary>Answers the ClientHello with <paramref name="reply"/>, then waits for the client to hang up.</summary>
    public static LoopbackServer Replying(byte[] reply) => new(async (stream, ct) =>
    {
        await ReadClientHelloAsync(stream, ct);
        await stream.WriteAsync(reply, ct);
        await DrainAsync(stream, ct);
    });

    public static LoopbackServer Plaintext(string text) => Replying(Encoding.ASCII.GetBytes(text));

    /// <summary>Reads the ClientHello and closes.</summary>
    public static LoopbackServer Closing() => new(ReadClientHelloAsync);

    /// <summary>Reads the ClientHello, then says nothing until the client gives up.</summary>
    public static LoopbackServer Stalling() => new(async (stream, ct) =>
    {
        await ReadClientHelloAsync(stream, ct);
        await DrainAsync(stream, ct);
    });

    /// <summary>A fatal alert record (RFC 8446 §6): 21, version, length 2, level 2, description.</summary>
    public static byte[] FatalAlert(byte description) => [21, 3, 3, 0, 2, 2, description];

    /// <summary>
    /// Plaintext TLS 1.2 ServerHello (ECDHE_RSA_WITH_AES_128_GCM_SHA256, renegotiation_info) followed
    /// by a Certificate message with <paramref name="certificateListBody"/> as its certificate_list,
    /// split into records of at most 16 KiB.
    /// </summary>
    public static byte[] Tls12HelloAndCertificate(byte[] certificateListBody)
    {
        var hello = new List<byte> { 3, 3 };
        hello.AddRange(new byte[32]); // random
        hello.Add(0);                 // empty session id
        hello.AddRange([0xc0, 0x2f]); // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
        hello.Add(0);                 // null compression
        hello.AddRange([0, 5, 0xff, 0x01, 0, 1, 0]); // extensions: renegotiation_info, empty

        var certificate = new List<byte>();
        certificate.AddRange(Uint24(certificateListBody.Length));
        certificate.AddRange(certificateListBody);

        var handshake = new List<byte>();
        handshake.AddRange(Handshake(2, [.. hello]));
        handshake.AddRange(Handshake(11, [.. certificate]));

        var records = new List<byte>();
        for (var off = 0; off < handshake.Count; off += 16384)
        {
            var chunk = handshake.Skip(off).Take(16384).ToArray();
            records.AddRange([22, 3, 3, (byte)(chunk.Length >> 8), (byte)chunk.Length]);
            records.AddRange(chunk);
        }

        return [.. records];
    }

    /// <summary>A certificate_list of <paramref name="count"/> entries of <paramref name="size"/> bytes each.</summary>
    public static byte[] CertificateList(int count, int size)
    {
        var list = new List<byte>();
        for (var i = 0; i < count; i++)
        {
            list.AddRange(Uint24(size));
            list.AddRange(Enumerable.Repeat((byte)0x30, size));
        }

        return [.. list];
    }

    private static byte[] Handshake(byte type, byte[] body) => [type, .. Uint24(body.Length), .. body];

    private static byte[] Uint24(int n) => [(byte)(n >> 16), (byte)(n >> 8), (byte)n];

    private static async Task DrainAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer, ct) > 0)
        {
        }
    }
}
