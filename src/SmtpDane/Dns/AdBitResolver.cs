using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using SmtpDane.Model;

namespace SmtpDane.Dns;

/// <summary>
/// The Go smtpdane's "resolver mode": asks validating recursive resolvers with EDNS0, DO and RD
/// set and trusts their AD bit (RFC 4035 §3.2.3, RFC 6840 §5.7). Secure iff AD is set. A
/// truncated UDP answer is repeated over TCP (RFC 7766 §5); timeouts are retried, then SERVFAIL,
/// REFUSED or silence move on to the next resolver; NOERROR and NXDOMAIN are final. Only as
/// trustworthy as the path to the resolver: use one on loopback or a trusted network.
/// </summary>
public sealed class AdBitResolver : TypedQueryResolver
{
    public const int DefaultAttemptsPerServer = 2;

    /// <summary>Answers with more records are refused (Failed), not truncated silently.</summary>
    public const int MaxAnswerRecords = 1000;

    /// <summary>Longest CNAME chain followed (Postfix and unbound use similar small bounds).</summary>
    public const int MaxCnameChain = 16;

    public static readonly TimeSpan DefaultQueryTimeout = TimeSpan.FromSeconds(5);

    private readonly IPEndPoint[] _servers;

    // Servers that let every attempt of a query time out. They are asked last from then on (never
    // skipped: fail closed), so one dead resolver costs its timeouts once per run, not per query.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IPEndPoint, bool> _silent = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IPEndPoint, bool> _remoteAd = new();
    private readonly TimeSpan _queryTimeout;
    private readonly int _attempts;
    private readonly TimeProvider _time;

    public AdBitResolver(IReadOnlyList<IPEndPoint> servers)
        : this(servers, DefaultQueryTimeout, DefaultAttemptsPerServer)
    {
    }

    /// <param name="servers">Resolvers, asked in order (see <see cref="ResolverEndpoints"/>).</param>
    /// <param name="queryTimeout">Bounds one exchange (UDP try, or TCP connect-send-receive).</param>
    /// <param name="attemptsPerServer">UDP tries per resolver when it stays silent (1..5).</param>
    /// <param name="time">Clock for <paramref name="queryTimeout"/>; the system clock by default.</param>
    public AdBitResolver(IReadOnlyList<IPEndPoint> servers, TimeSpan queryTimeout, int attemptsPerServer, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (servers.Count == 0)
        {
            throw new ArgumentException("at least one resolver is needed", nameof(servers));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(queryTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptsPerServer, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(attemptsPerServer, 5);
        _servers = [.. servers];
        _queryTimeout = queryTimeout;
        _attempts = attemptsPerServer;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Resolvers not on loopback whose AD bit was trusted in this run, in configuration order:
    /// anyone on the path to them could have set it (RFC 4035 §4.9.3, RFC 6698 §4.1).
    /// </summary>
    public IReadOnlyList<IPEndPoint> RemoteAdSources => [.. _servers.Where(_remoteAd.ContainsKey)];

    protected override async Task<DnsAnswer<T>> QueryAsync<T>(string name, RecordType type, Func<DnsRecordBase, T?> convert, CancellationToken ct)
        where T : class
    {
        var queryName = DnsQueryWriter.Normalize(name);
        var (message, failure) = await FetchAsync(queryName, type, ct).ConfigureAwait(false);
        if (message is null)
        {
            return DnsAnswer<T>.Failed(queryName, failure!);
        }

        try
        {
            return DnsAnswerBuilder.Build(queryName, type, message, convert, MaxCnameChain);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Record data ARSoft parsed but we cannot convert (should not happen): no conclusion.
            return DnsAnswer<T>.Failed(queryName, $"unusable answer for {type.ToString().ToUpperInvariant()} \"{queryName}\" ({e.GetType().Name})");
        }
    }

    /// <summary>The first final (NOERROR/NXDOMAIN) response from the resolvers, or null and why not.</summary>
    internal async Task<(DnsMessage? Message, string? Failure)> FetchAsync(string queryName, RecordType type, CancellationToken ct)
    {
        var typeName = type.ToString().ToUpperInvariant();
        var query = DnsQueryWriter.Build(RandomId(), queryName, (ushort)type, out var nameError);
        if (query is null)
        {
            return (null, $"cannot query {typeName} for \"{queryName}\": {nameError}");
        }

        var failures = new List<string>();
        IEnumerable<IPEndPoint> order = _silent.IsEmpty ? _servers : _servers.OrderBy(s => _silent.ContainsKey(s));
        foreach (var server in order)
        {
            var (message, failure, allTimedOut) = await AskServerAsync(server, query, queryName, type, ct).ConfigureAwait(false);
            if (allTimedOut)
            {
                _silent[server] = true;
            }
            else
            {
                _silent.TryRemove(server, out _);
            }

            if (message is not null)
            {
                if (message.IsAuthenticData && !IPAddress.IsLoopback(server.Address))
                {
                    _remoteAd.TryAdd(server, true);
                }

                return (message, null);
            }

            failures.Add($"{server}: {failure}");
        }

        return (null, $"no resolver gave an answer for {typeName} \"{queryName}\": {string.Join("; ", failures)}");
    }

    /// <summary>A final (NOERROR/NXDOMAIN) response from one server, or null and why not.</summary>
    private async Task<(DnsMessage? Message, string? Failure, bool AllTimedOut)> AskServerAsync(IPEndPoint server, byte[] query, string queryName, RecordType type, CancellationToken ct)
    {
        string failure = "no answer";
        for (var attempt = 1; attempt <= _attempts; attempt++)
        {
            // Each try gets a fresh id so a late answer to the previous try cannot be mistaken.
            BinaryPrimitives.WriteUInt16BigEndian(query, RandomId());
            var (raw, error, timedOut) = await ExchangeAsync(DnsExchange.UdpAsync, server, query, ct).ConfigureAwait(false);
            if (raw is null)
            {
                failure = error!;
                if (timedOut)
                {
                    continue;
                }

                return (null, failure, false);
            }

            var (message, parseError) = Parse(raw, queryName, type);
            if (message is null)
            {
                return (null, parseError, false);
            }

            if (message.IsTruncated)
            {
                // RFC 7766 §5: repeat over TCP; a truncated UDP answer may lack records.
                (raw, error, _) = await ExchangeAsync(DnsExchange.TcpAsync, server, query, ct).ConfigureAwait(false);
                if (raw is null)
                {
                    return (null, $"answer truncated over UDP, and over TCP: {error}", false);
                }

                (message, parseError) = Parse(raw, queryName, type);
                if (message is null)
                {
                    return (null, "over TCP: " + parseError, false);
                }

                if (message.IsTruncated)
                {
                    return (null, "answer truncated even over TCP", false);
                }
            }

            return message.ReturnCode switch
            {
                ReturnCode.NoError or ReturnCode.NxDomain => (message, null, false),

                // unbound and BIND answer SERVFAIL when validation fails (RFC 4035 §5.5).
                ReturnCode.ServerFailure => (null, "SERVFAIL (bogus DNSSEC or server failure)", false),
                ReturnCode.Refused => (null, "REFUSED (the resolver does not serve us)", false),
                var other => (null, $"rcode {(int)other} ({other})", false),
            };
        }

        return (null, failure, true);
    }

    private async Task<(byte[]? Raw, string? Error, bool TimedOut)> ExchangeAsync(
        Func<IPEndPoint, byte[], CancellationToken, Task<byte[]>> exchange, IPEndPoint server, byte[] query, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_queryTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            return (await exchange(server, query, linked.Token).ConfigureAwait(false), null, false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var seconds = _queryTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return (null, $"no answer within {seconds} s", true);
        }
        catch (SocketException e)
        {
            return (null, $"network error ({e.SocketErrorCode})", false);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException)
        {
            return (null, $"network error ({e.Message})", false);
        }
    }

    private static (DnsMessage? Message, string? Error) Parse(byte[] raw, string queryName, RecordType type)
    {
        // Header ANCOUNT (RFC 1035 §4.1.1): refuse oversized answers before parsing them.
        var answerCount = BinaryPrimitives.ReadUInt16BigEndian(raw.AsSpan(6, 2));
        if (answerCount > MaxAnswerRecords)
        {
            return (null, $"answer has {answerCount} records, more than the {MaxAnswerRecords} accepted");
        }

        ArsoftEntropy.Install();
        DnsMessage message;
        try
        {
            message = DnsMessage.Parse(new ArraySegment<byte>(raw));
        }
        catch (Exception)
        {
            return (null, "malformed answer");
        }

        if (message.Questions.Count != 1 ||
            DnsAnswerBuilder.NameOf(message.Questions[0].Name) != queryName ||
            message.Questions[0].RecordType != type)
        {
            return (null, "answer is for a different question");
        }

        return (message, null);
    }

    private static ushort RandomId() => OsEntropy.NextUInt16();
}
