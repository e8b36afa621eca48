using System.Buffers.Binary;
using System.Net;

namespace SmtpDane.Net;

/// <summary>
/// The SOCKS5 exchange on a connected proxy stream: method selection and CONNECT (RFC 1928), and
/// username/password authentication (RFC 1929) when <c>user</c> is given. Each failure
/// is a <see cref="ConnectException"/> naming <c>proxyLabel</c> and the target.
/// </summary>
internal sealed class Socks5Handshake(string proxyLabel, byte[]? user, byte[]? password)
{
    private const byte Version = 5;
    private const byte MethodNoAuth = 0x00;
    private const byte MethodUserPass = 0x02;
    private const byte MethodNoneAcceptable = 0xFF;
    private const byte CommandConnect = 0x01;
    private const byte AtypIPv4 = 0x01;
    private const byte AtypDomain = 0x03;
    private const byte AtypIPv6 = 0x04;

    public async Task NegotiateAsync(Stream stream, IPAddress address, int port, string target, CancellationToken ct)
    {
        var buf = new byte[2 + 1 + 255 + 1 + 255];

        // RFC 1928 §3: VER NMETHODS METHODS; reply VER METHOD.
        var offered = user is null ? new[] { MethodNoAuth } : [MethodNoAuth, MethodUserPass];
        buf[0] = Version;
        buf[1] = (byte)offered.Length;
        offered.CopyTo(buf, 2);
        await stream.WriteAsync(buf.AsMemory(0, 2 + offered.Length), ct).ConfigureAwait(false);
        await stream.ReadExactlyAsync(buf.AsMemory(0, 2), ct).ConfigureAwait(false);
        CheckVersion(buf[0], target);
        switch (buf[1])
        {
            case MethodNoAuth:
                break;
            case MethodUserPass when user is not null:
                await AuthenticateAsync(stream, buf, target, ct).ConfigureAwait(false);
                break;
            case MethodNoneAcceptable:
                throw ProxyFailure(user is null
                    ? $"{proxyLabel} requires authentication (give user:password in the proxy URL) for {target}"
                    : $"{proxyLabel} accepted none of our authentication methods for {target}");
            default:
                throw ProxyFailure($"{proxyLabel} chose authentication method 0x{buf[1]:x2}, which we did not offer, for {target}");
        }

        // RFC 1928 §4: VER CMD RSV ATYP DST.ADDR DST.PORT, the address as an IP (ATYP 1 or 4).
        var ip = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var addressBytes = ip.GetAddressBytes();
        buf[0] = Version;
        buf[1] = CommandConnect;
        buf[2] = 0;
        buf[3] = addressBytes.Length == 4 ? AtypIPv4 : AtypIPv6;
        addressBytes.CopyTo(buf, 4);
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(4 + addressBytes.Length), (ushort)port);
        await stream.WriteAsync(buf.AsMemory(0, 4 + addressBytes.Length + 2), ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);

        // RFC 1928 §6: VER REP RSV ATYP BND.ADDR BND.PORT. Read exactly the reply: what follows is SMTP.
        await stream.ReadExactlyAsync(buf.AsMemory(0, 4), ct).ConfigureAwait(false);
        CheckVersion(buf[0], target);
        if (buf[1] != 0)
        {
            throw ReplyFailure(buf[1], target);
        }

        int rest;
        switch (buf[3])
        {
            case AtypIPv4:
                rest = 4 + 2;
                break;
            case AtypIPv6:
                rest = 16 + 2;
                break;
            case AtypDomain:
                await stream.ReadExactlyAsync(buf.AsMemory(0, 1), ct).ConfigureAwait(false);
                rest = buf[0] > 0
                    ? buf[0] + 2
                    : throw ProxyFailure($"{proxyLabel} sent an empty bound address in its reply for {target}");
                break;
            default:
                throw ProxyFailure($"{proxyLabel} sent unknown address type 0x{buf[3]:x2} in its reply for {target}");
        }

        await stream.ReadExactlyAsync(buf.AsMemory(0, rest), ct).ConfigureAwait(false);
    }

    /// <summary>RFC 1929 §2: VER=1 ULEN UNAME PLEN PASSWD; reply VER=1 STATUS, 0 is success.</summary>
    private async Task AuthenticateAsync(Stream stream, byte[] buf, string target, CancellationToken ct)
    {
        var n = 0;
        buf[n++] = 1;
        buf[n++] = (byte)user!.Length;
        user.CopyTo(buf, n);
        n += user.Length;
        buf[n++] = (byte)password!.Length;
        password.CopyTo(buf, n);
        n += password.Length;
        await stream.WriteAsync(buf.AsMemory(0, n), ct).ConfigureAwait(false);
        Array.Clear(buf);
        await stream.ReadExactlyAsync(buf.AsMemory(0, 2), ct).ConfigureAwait(false);
        if (buf[0] != 1)
        {
            throw ProxyFailure($"{proxyLabel} sent an invalid authentication reply (version 0x{buf[0]:x2}) for {target}");
        }

        if (buf[1] != 0)
        {
            throw ProxyFailure($"{proxyLabel} rejected our user name and password (status 0x{buf[1]:x2}) for {target}");
        }
    }

    private void CheckVersion(byte version, string target)
    {
        if (version != Version)
        {
            throw ProxyFailure($"{proxyLabel} sent an invalid reply (version 0x{version:x2}, not SOCKS5) for {target}");
        }
    }

    private static ConnectException ProxyFailure(string message) => new(message) { ViaProxy = true };

    /// <summary>RFC 1928 §6 REP values.</summary>
    private ConnectException ReplyFailure(byte rep, string target)
    {
        var via = $"reported by {proxyLabel}";
        return rep switch
        {
            0x03 => new($"cannot connect to {target}: network unreachable ({via})"),
            0x04 => new($"cannot connect to {target}: host unreachable ({via})"),
            0x05 => new($"connection refused by {target} ({via})"),
            0x06 => new($"cannot connect to {target}: TTL expired ({via})"),
            _ => ProxyFailure($"{proxyLabel} could not connect to {target}: " + rep switch
            {
                0x01 => "general SOCKS server failure",
                0x02 => "connection not allowed by ruleset",
                0x07 => "command not supported",
                0x08 => "address type not supported",
                _ => $"unknown error code 0x{rep:x2}",
            }),
        };
    }
}
