using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SmtpDane.Certificates;
using SmtpDane.Dns;
using SmtpDane.Model;
using SmtpDane.Net;

namespace SmtpDane.MtaSts;

/// <summary>
/// Fetches https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt as RFC 8461 §3.3 says a sender
/// does: HTTPS with the Web PKI (<see cref="WebPkiValidator"/>, name mta-sts.&lt;domain&gt; as SNI
/// and Host), no redirects, no proxy from the environment, status 200 with media type
/// text/plain, the body read only up to <see cref="MaxBodyBytes"/>. The host is resolved through
/// our own DNS layer and connected through our <see cref="IConnector"/> (so -proxy-tcp applies).
/// One deadline bounds the whole fetch (resolve, connect, handshake, headers, body).
/// </summary>
public sealed class StsPolicyFetcher
{
    /// <summary>RFC 8461 §3.3 suggests a limit; 64 KiB as postfix-mta-sts-resolver.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private readonly IDnsResolver _dns;
    private readonly IConnector _connector;
    private readonly WebPkiValidator _validator;
    private readonly TimeSpan _deadline;
    private readonly TimeProvider _time;

    public StsPolicyFetcher(IDnsResolver dns, IConnector connector, WebPkiValidator validator, TimeSpan deadline, TimeProvider time)
    {
        _dns = dns;
        _connector = connector;
        _validator = validator;
        _deadline = deadline;
        _time = time;
    }

    public static string PolicyHost(string domain) => "mta-sts." + domain;

    public async Task<StsFetch> FetchAsync(string domain, CancellationToken ct)
    {
        var host = PolicyHost(domain);
        var url = $"https://{host}/.well-known/mta-sts.txt";
        string? certProblem = null;
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxResponseHeadersLength = 16, // KiB
            ConnectCallback = (context, c) => ConnectAsync(context.DnsEndPoint, c),
            SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = host,
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    certProblem = Check(certificate, chain, host);
                    return certProblem is null;
                },
            },
        };
        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        using var limit = new CancellationTokenSource(_deadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("smtpdane", null));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            return await ReadAsync(url, response, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new StsFetch(url, StsFetchOutcome.Failed, null, $"no complete answer within {_deadline.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s");
        }
        catch (HttpRequestException e) when (certProblem is not null)
        {
            _ = e;
            return new StsFetch(url, StsFetchOutcome.CertificateInvalid, null, certProblem);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or AuthenticationException or SocketException or ConnectException or TimeoutException)
        {
            return new StsFetch(url, StsFetchOutcome.Failed, null, Innermost(e));
        }
    }

    private static async Task<StsFetch> ReadAsync(string url, HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            var location = response.Headers.Location?.OriginalString;
            return new StsFetch(url, StsFetchOutcome.Redirect, null, $"HTTP {status} redirect{(location is null ? "" : $" to \"{Cap(location)}\"")}");
        }

        if (status != 200)
        {
            return new StsFetch(url, StsFetchOutcome.Failed, null, $"HTTP status {status}");
        }

        var media = response.Content.Headers.ContentType?.MediaType;
        if (!string.Equals(media, "text/plain", StringComparison.OrdinalIgnoreCase))
        {
            return new StsFetch(url, StsFetchOutcome.Failed, null, $"media type is \"{Cap(media ?? "(none)")}\", not text/plain");
        }

        if (response.Content.Headers.ContentLength is > MaxBodyBytes)
        {
            return new StsFetch(url, StsFetchOutcome.TooLarge, null, $"Content-Length {response.Content.Headers.ContentLength} is over {MaxBodyBytes} bytes");
        }

        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyBytes + 1];
            var filled = 0;
            while (filled < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                filled += n;
            }

            if (filled > MaxBodyBytes)
            {
                return new StsFetch(url, StsFetchOutcome.TooLarge, null, $"the body is over {MaxBodyBytes} bytes");
            }

            try
            {
                var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, filled);
                return new StsFetch(url, StsFetchOutcome.Fetched, text, null);
            }
            catch (DecoderFallbackException)
            {
                return new StsFetch(url, StsFetchOutcome.Failed, null, "the body is not UTF-8 text");
            }
        }
    }

    private string? Check(X509Certificate? certificate, X509Chain? chain, string host)
    {
        if (certificate is null)
        {
            return "no certificate was sent";
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var sent = chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>().ToList() ?? [];
        return _validator.Validate(leaf, sent, host).Problem;
    }

    private async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken ct)
    {
        var addresses = new List<IPAddress>();
        var failures = new List<string>();
        foreach (var family in new[] { AddressFamily.InterNetworkV6, AddressFamily.InterNetwork })
        {
            var answer = await _dns.QueryAddressesAsync(endpoint.Host, family, ct).ConfigureAwait(false);
            if (answer.Outcome == DnsOutcome.Failed || answer.Security == DnsSecurity.Bogus)
            {
                failures.Add(answer.Failure ?? "DNSSEC bogus");
            }

            addresses.AddRange(answer.Records);
        }

        if (addresses.Count == 0)
        {
            throw new ConnectException(failures.Count > 0
                ? $"\"{endpoint.Host}\" could not be resolved: {failures[0]}"
                : $"\"{endpoint.Host}\" has no A or AAAA records");
        }

        Exception? last = null;
        foreach (var address in addresses)
        {
            try
            {
                return await _connector.ConnectAsync(address, endpoint.Port, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ConnectException or TimeoutException or IOException)
            {
                last = e;
            }
        }

        throw new ConnectException($"cannot connect to \"{endpoint.Host}\" port {endpoint.Port}: {last!.Message}", last);
    }

    private static string Innermost(Exception e)
    {
        var messages = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (!messages.Contains(x.Message))
            {
                messages.Add(x.Message);
            }
        }

        return Cap(string.Join(": ", messages));
    }

    private static string Cap(string s) => s.Length > 200 ? s[..200] + "…" : s;
}
