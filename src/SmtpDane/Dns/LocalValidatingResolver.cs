using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using ARSoft.Tools.Net.Dns;
using SmtpDane.Model;

namespace SmtpDane.Dns;

/// <summary>
/// <c>-dnssec local</c>: every answer (records, CNAME chains, NODATA/NXDOMAIN proofs) is validated
/// from our root trust anchors down by libunbound (NLnet Labs' validator, the engine of the
/// unbound resolver), not taken on the resolver's word. The configured resolvers are its
/// forwarders; they must pass DNSSEC records through (answer DO queries with RRSIGs, NSEC/NSEC3,
/// DNSKEY and DS), which any validating or plain recursive resolver does.
/// <para>
/// libunbound's verdict maps one to one: secure → <see cref="DnsSecurity.Secure"/>, bogus →
/// <see cref="DnsSecurity.Bogus"/> with its <c>why_bogus</c> (a DANE sender defers mail,
/// RFC 7672 §2.2), neither → <see cref="DnsSecurity.Insecure"/> (provably unsigned, RFC 4035
/// §4.3), with where the chain of trust ends; SERVFAIL and silence are failures. Its cache lasts
/// the run, so no zone's keys are fetched or validated twice.
/// </para>
/// </summary>
public sealed class LocalValidatingResolver : TypedQueryResolver, IDisposable
{
    /// <summary>Bounds one validated lookup, key and DS fetches included.</summary>
    public static readonly TimeSpan DefaultValidationTimeout = TimeSpan.FromSeconds(30);

    private const ushort TypeNs = 2;
    private const ushort TypeDs = 43;

    private readonly UnboundContext _unbound;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Task<string?>> _cuts = new(StringComparer.Ordinal);

    private LocalValidatingResolver(UnboundContext unbound, TimeSpan timeout, TimeProvider time)
    {
        _unbound = unbound;
        _timeout = timeout;
        _time = time;
    }

    /// <summary>Loads libunbound and builds the resolver (forwarders may use any ports).</summary>
    /// <exception cref="UnboundUnavailableException">libunbound is not installed.</exception>
    /// <exception cref="ResolverConfigException">libunbound refused a forwarder or an anchor.</exception>
    public static LocalValidatingResolver Create(IReadOnlyList<IPEndPoint> servers, IReadOnlyList<TrustAnchor> anchors) =>
        Create(servers, anchors, DefaultValidationTimeout);

    /// <inheritdoc cref="Create(IReadOnlyList{IPEndPoint}, IReadOnlyList{TrustAnchor})"/>
    /// <param name="timeout">Bounds each lookup, measured on <paramref name="time"/> (the system clock by default).</param>
    public static LocalValidatingResolver Create(IReadOnlyList<IPEndPoint> servers, IReadOnlyList<TrustAnchor> anchors, TimeSpan timeout, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(anchors);
        if (servers.Count == 0)
        {
            throw new ArgumentException("at least one resolver is needed", nameof(servers));
        }

        if (anchors.Count == 0)
        {
            throw new ArgumentException("at least one trust anchor is needed", nameof(anchors));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return new LocalValidatingResolver(new UnboundContext(servers, anchors), timeout, time ?? TimeProvider.System);
    }

    public void Dispose() => _unbound.Dispose();

    protected override async Task<DnsAnswer<T>> QueryAsync<T>(string name, RecordType type, Func<DnsRecordBase, T?> convert, CancellationToken ct)
        where T : class
    {
        var queryName = DnsQueryWriter.Normalize(name);
        var typeName = type.ToString().ToUpperInvariant();
        var (reply, failure) = await ResolveAsync(queryName, type, ct).ConfigureAwait(false);
        if (reply is null)
        {
            return DnsAnswer<T>.Failed(queryName, failure!);
        }

        if (reply.Bogus)
        {
            // Never the records: a bogus answer is no answer (RFC 4035 §5.5).
            var why = reply.WhyBogus ?? $"the answer for {typeName} \"{queryName}\" does not validate";
            return new DnsAnswer<T>(queryName, DnsOutcome.Failed, DnsSecurity.Bogus, [], queryName, [], "bogus: " + why);
        }

        if (reply.Rcode is not (0 or 3))
        {
            var rcode = (ReturnCode)reply.Rcode;
            var what = rcode == ReturnCode.ServerFailure ? "SERVFAIL (the forwarders failed, or do not pass DNSSEC records through)" : $"rcode {reply.Rcode} ({rcode})";
            return DnsAnswer<T>.Failed(queryName, $"no answer for {typeName} \"{queryName}\": {what}");
        }

        DnsAnswer<T> answer;
        try
        {
            var message = DnsMessage.Parse(new ArraySegment<byte>(reply.Packet));
            if (message.Questions.Count != 1 || DnsAnswerBuilder.NameOf(message.Questions[0].Name) != queryName || message.Questions[0].RecordType != type)
            {
                return DnsAnswer<T>.Failed(queryName, $"libunbound's answer for {typeName} \"{queryName}\" is for a different question");
            }

            answer = DnsAnswerBuilder.Build(queryName, type, message, convert, AdBitResolver.MaxCnameChain);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return DnsAnswer<T>.Failed(queryName, $"unusable answer for {typeName} \"{queryName}\" ({e.GetType().Name})");
        }

        if (answer.Outcome == DnsOutcome.Failed)
        {
            return answer;
        }

        if (reply.Secure)
        {
            return answer with { Security = DnsSecurity.Secure };
        }

        var cut = await FindInsecureCutAsync(answer.CanonicalName, ct).ConfigureAwait(false);
        return answer with { Security = DnsSecurity.Insecure, InsecureAt = cut };
    }

    /// <summary>libunbound's reply, or null and why not (timeout, no result). Cancellation propagates.</summary>
    private async Task<(UnboundReply? Reply, string? Failure)> ResolveAsync(string queryName, RecordType type, CancellationToken ct)
    {
        var typeName = type.ToString().ToUpperInvariant();
        if (DnsQueryWriter.Build(0, queryName, (ushort)type, out var nameError) is null)
        {
            return (null, $"cannot query {typeName} for \"{queryName}\": {nameError}");
        }

        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            var reply = await _unbound.ResolveAsync(queryName, (ushort)type, linked.Token).ConfigureAwait(false);
            return reply.Failure is null ? (reply, null) : (null, $"cannot resolve {typeName} \"{queryName}\": {reply.Failure}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var seconds = _timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return (null, $"no validated answer for {typeName} \"{queryName}\" within {seconds} s (forwarders silent or unreachable)");
        }
    }

    /// <summary>
    /// Where the chain of trust ends for an insecure name (libunbound does not say): walking down
    /// from the top-level domain, the first delegation whose DS RRset is securely denied
    /// (RFC 4035 §5.2). Null when it cannot be pinned down. Cached per run, as are the lookups.
    /// </summary>
    private Task<string?> FindInsecureCutAsync(string name, CancellationToken ct) =>
        _cuts.GetOrAdd(name, n => WalkAsync(n, ct));

    private async Task<string?> WalkAsync(string name, CancellationToken ct)
    {
        var labels = name.Split('.');
        for (var i = labels.Length - 1; i >= 0 && labels.Length - i <= AdBitResolver.MaxCnameChain; i--)
        {
            var zone = string.Join('.', labels[i..]);
            var (ds, _) = await ResolveAsync(zone, (RecordType)TypeDs, ct).ConfigureAwait(false);
            if (ds is null || ds.Bogus || !ds.Secure)
            {
                return null;
            }

            if (ds.Rcode == 3)
            {
                return null;
            }

            if (HasAnswer(ds))
            {
                continue;
            }

            // A securely denied DS at a name with NS records is an unsigned delegation; without
            // NS the name is only inside its parent zone, so keep walking down.
            var (ns, _) = await ResolveAsync(zone, (RecordType)TypeNs, ct).ConfigureAwait(false);
            if (ns is not null && !ns.Bogus && ns.Rcode == 0 && HasAnswer(ns))
            {
                return zone;
            }
        }

        return null;
    }

    /// <summary>ANCOUNT of the packet (RFC 1035 §4.1.1).</summary>
    private static bool HasAnswer(UnboundReply reply) =>
        reply.Packet.Length >= 12 && (reply.Packet[6] << 8 | reply.Packet[7]) > 0;
}
