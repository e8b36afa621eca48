using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpDane.Net;

/// <summary>
/// TCP connections through a SOCKS5 proxy (RFC 1928), with optional username/password
/// authentication (RFC 1929) when the URL carries credentials. The target is always an IP address
/// (ATYP 1 or 4): DNS never goes through the proxy, as in the Go smtpdane. The proxy's own host name
/// is resolved with <see cref="System.Net.Dns"/>. <see cref="ConnectTimeout"/> bounds the whole negotiation,
/// from resolving the proxy to the CONNECT reply.
/// </summary>
/// <remarks>
/// Failures throw <see cref="ConnectException"/> naming proxy and target. <see cref="ConnectException.ViaProxy"/>
/// is true for the proxy's own failures (unreachable, authentication, malformed or failure replies)
/// and false when the proxy reports the target refused or unreachable (REP 3, 4, 5, 6): that is the
/// target's failure, seen from the proxy.
/// </remarks>
public sealed class Socks5Connector : IConnector
{
    public const int DefaultPort = 1080;

    private const byte Version = 5;
    private const byte MethodNoAuth = 0x00;
    private const byte MethodUserPass = 0x02;
    private const byte MethodNoneAcceptable = 0xFF;
    private const byte CommandConnect = 0x01;
    private const byte AtypIPv4 = 0x01;
    private const byte AtypDomain = 0x03;
    private const byte AtypIPv6 = 0x04;

    private readonly IConnector _proxyConnector;
    private readonly TimeProvider _timeProvider;
    private readonly byte[]? _user;
    private readonly byte[]? _password;

    /// <param name="proxy">socks5://[user:pass@]host[:port], checked as by <see cref="ParseProxyUri"/>.</param>
    /// <param name="connectTimeout">Bounds the whole proxy negotiation.</param>
    /// <param name="proxyConnector">How to reach the proxy itself; default a <see cref="TcpConnector"/>.</param>
    public Socks5Connector(Uri proxy, TimeSpan connectTimeout, IConnector? proxyConnector = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        NetText.ValidateTimeout(connectTimeout, nameof(connectTimeout));
        Proxy = Validate(proxy, out _user, out _password);
        ConnectTimeout = connectTimeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _proxyConnector = proxyConnector ?? new TcpConnector(connectTimeout, _timeProvider);
        ProxyLabel = $"SOCKS5 proxy {Proxy.Host}:{Proxy.Port}";
    }

    /// <summary>The validated proxy URL, port filled in.</summary>
    public Uri Proxy { get; }

    public TimeSpan ConnectTimeout { get; }

    /// <summary>"SOCKS5 proxy host:port", never with credentials; used in messages.</summary>
    public string ProxyLabel { get; }

    /// <summary>
    /// Checks a -proxy-tcp value: socks5 scheme only, a host, port 1-65535 (default 1080), no path,
    /// query or fragment; credentials, if any, percent-decoded to 1-255 and 0-255 UTF-8 bytes (RFC 1929 §2).
    /// </summary>
    /// <exception cref="ArgumentException">With a message for the operator (never echoing a password).</exception>
    public static Uri ParseProxyUri(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("proxy URL is empty; expected socks5://[user:pass@]host[:port]", nameof(value));
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
        {
            throw new ArgumentException("proxy URL is not a valid absolute URL; expected socks5://[user:pass@]host[:port]", nameof(value));
        }

        return Validate(uri, out _, out _);
    }

    public async Task<Stream> ConnectAsync(IPAddress address, int port, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);

        var target = NetText.Endpoint(address, port);
        using var deadline = new CancellationTokenSource(ConnectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        Stream? stream = null;
        var phase = "resolving";
        try
        {
            var proxyAddresses = await ResolveProxyAsync(linked.Token).ConfigureAwait(false);
            phase = "connecting to";
            stream = await ConnectProxyAsync(proxyAddresses, target, linked.Token).ConfigureAwait(false);
            phase = "negotiating with";
            await NegotiateAsync(stream, address, port, target, linked.Token).ConfigureAwait(false);
            return stream;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested
                                   && (ex is TimeoutException
                                       || (ex is OperationCanceledException or IOException && deadline.IsCancellationRequested)))
        {
            await DisposeAsync(stream).ConfigureAwait(false);
            throw new TimeoutException(
                $"timeout {phase} {ProxyLabel} for {target} after {NetText.Duration(ConnectTimeout)}", ex);
        }
        catch (Exception ex) when (ex is EndOfStreamException)
        {
            await DisposeAsync(stream).ConfigureAwait(false);
            throw new ConnectException($"{ProxyLabel} closed the connection while negotiating {target}", ex) { ViaProxy = true };
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            await DisposeAsync(stream).ConfigureAwait(false);
            throw new ConnectException($"connection to {ProxyLabel} failed while negotiating {target}: {ex.Message}", ex) { ViaProxy = true };
        }
        catch
        {
            await DisposeAsync(stream).ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask DisposeAsync(Stream? stream)
    {
        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static Uri Validate(Uri uri, out byte[]? user, out byte[]? password)
    {
        user = password = null;
        if (!uri.IsAbsoluteUri || !string.Equals(uri.Scheme, "socks5", StringComparison.OrdinalIgnoreCase))
        {
            var scheme = uri.IsAbsoluteUri ? uri.Scheme : "(none)";
            throw new ArgumentException($"proxy URL scheme \"{scheme}\" is not supported; expected socks5://[user:pass@]host[:port]", nameof(uri));
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException("proxy URL has no host; expected socks5://[user:pass@]host[:port]", nameof(uri));
        }

        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new ArgumentException("proxy URL must not have a path, query or fragment; expected socks5://[user:pass@]host[:port]", nameof(uri));
        }

        if (uri.Port == 0)
        {
            throw new ArgumentException("proxy URL port must be 1-65535", nameof(uri));
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var rawUser = colon >= 0 ? uri.UserInfo[..colon] : uri.UserInfo;
            var rawPassword = colon >= 0 ? uri.UserInfo[(colon + 1)..] : string.Empty;
            user = Encoding.UTF8.GetBytes(Uri.UnescapeDataString(rawUser));
            password = Encoding.UTF8.GetBytes(Uri.UnescapeDataString(rawPassword));
            if (user.Length is 0 or > 255 || password.Length > 255)
            {
                throw new ArgumentException("proxy URL user name must be 1-255 bytes and password at most 255 bytes (RFC 1929)", nameof(uri));
            }
        }

        // Unregistered schemes report -1 when the URL has no port. UriBuilder.Uri throws
        // UriFormatException for hosts Uri accepted but cannot rebuild ("socks5://."): refuse those.
        if (uri.Port > 0)
        {
            return uri;
        }

        return Uri.TryCreate(new UriBuilder(uri) { Port = DefaultPort }.ToString(), UriKind.Absolute, out var withPort)
            ? withPort
            : throw new ArgumentException("proxy URL host is not valid; expected socks5://[user:pass@]host[:port]", nameof(uri));
    }

    private async Task<IPAddress[]> ResolveProxyAsync(CancellationToken ct)
    {
        var host = Proxy.IdnHost;
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        try
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
            return addresses.Length > 0
                ? addresses
                : throw new ConnectException($"cannot resolve {ProxyLabel}: no addresses") { ViaProxy = true };
        }
        catch (SocketException ex)
        {
            throw new ConnectException($"cannot resolve {ProxyLabel}: {ex.Message}", ex) { ViaProxy = true };
        }
    }

    /// <summary>Tries each proxy address in turn (as Go's dialer does); the shared deadline bounds them all.</summary>
    private async Task<Stream> ConnectProxyAsync(IPAddress[] addresses, string target, CancellationToken ct)
    {
        ConnectException? last = null;
        foreach (var a in addresses)
        {
            try
            {
                return await _proxyConnector.ConnectAsync(a, Proxy.Port, ct).ConfigureAwait(false);
            }
            catch (ConnectException ex)
            {
                last = ex;
            }
        }

        throw new ConnectException($"cannot reach {ProxyLabel} to connect to {target}: {last?.Message}", last!) { ViaProxy = true };
    }

    private async Task NegotiateAsync(Stream stream, IPAddress address, int port, string target, CancellationToken ct)
    {
        var buf = new byte[2 + 1 + 255 + 1 + 255];

        // RFC 1928 §3: VER NMETHODS METHODS; reply VER METHOD.
        var offered = _user is null ? new[] { MethodNoAuth } : [MethodNoAuth, MethodUserPass];
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
            case MethodUserPass when _user is not null:
                await AuthenticateAsync(stream, buf, target, ct).ConfigureAwait(false);
                break;
            case MethodNoneAcceptable:
                throw ProxyFailure(_user is null
                    ? $"{ProxyLabel} requires authentication (give user:password in the proxy URL) for {target}"
                    : $"{ProxyLabel} accepted none of our authentication methods for {target}");
            default:
                throw ProxyFailure($"{ProxyLabel} chose authentication method 0x{buf[1]:x2}, which we did not offer, for {target}");
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
                    : throw ProxyFailure($"{ProxyLabel} sent an empty bound address in its reply for {target}");
                break;
            default:
                throw ProxyFailure($"{ProxyLabel} sent unknown address type 0x{buf[3]:x2} in its reply for {target}");
        }

        await stream.ReadExactlyAsync(buf.AsMemory(0, rest), ct).ConfigureAwait(false);
    }

    /// <summary>RFC 1929 §2: VER=1 ULEN UNAME PLEN PASSWD; reply VER=1 STATUS, 0 is success.</summary>
    private async Task AuthenticateAsync(Stream stream, byte[] buf, string target, CancellationToken ct)
    {
        var n = 0;
        buf[n++] = 1;
        buf[n++] = (byte)_user!.Length;
        _user.CopyTo(buf, n);
        n += _user.Length;
        buf[n++] = (byte)_password!.Length;
        _password.CopyTo(buf, n);
        n += _password.Length;
        await stream.WriteAsync(buf.AsMemory(0, n), ct).ConfigureAwait(false);
        Array.Clear(buf);
        await stream.ReadExactlyAsync(buf.AsMemory(0, 2), ct).ConfigureAwait(false);
        if (buf[0] != 1)
        {
            throw ProxyFailure($"{ProxyLabel} sent an invalid authentication reply (version 0x{buf[0]:x2}) for {target}");
        }

        if (buf[1] != 0)
        {
            throw ProxyFailure($"{ProxyLabel} rejected our user name and password (status 0x{buf[1]:x2}) for {target}");
        }
    }

    private void CheckVersion(byte version, string target)
    {
        if (version != Version)
        {
            throw ProxyFailure($"{ProxyLabel} sent an invalid reply (version 0x{version:x2}, not SOCKS5) for {target}");
        }
    }

    private static ConnectException ProxyFailure(string message) => new(message) { ViaProxy = true };

    /// <summary>RFC 1928 §6 REP values.</summary>
    private ConnectException ReplyFailure(byte rep, string target)
    {
        var via = $"reported by {ProxyLabel}";
        return rep switch
        {
            0x03 => new($"cannot connect to {target}: network unreachable ({via})"),
            0x04 => new($"cannot connect to {target}: host unreachable ({via})"),
            0x05 => new($"connection refused by {target} ({via})"),
            0x06 => new($"cannot connect to {target}: TTL expired ({via})"),
            _ => ProxyFailure($"{ProxyLabel} could not connect to {target}: " + rep switch
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
