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
            await new Socks5Handshake(ProxyLabel, _user, _password).NegotiateAsync(stream, address, port, target, linked.Token).ConfigureAwait(false);
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
}
