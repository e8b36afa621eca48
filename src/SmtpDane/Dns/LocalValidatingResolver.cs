using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using SmtpDane.Model;
using ArsMx = ARSoft.Tools.Net.Dns.MxRecord;
using ArsSrv = ARSoft.Tools.Net.Dns.SrvRecord;
using ArsTlsa = ARSoft.Tools.Net.Dns.TlsaRecord;
using TlsaRecord = SmtpDane.Model.TlsaRecord;

namespace SmtpDane.Dns;

/// <summary>
/// <c>-dnssec local</c>: validates DNSSEC itself instead of trusting the resolver's AD bit. The
/// configured resolvers are asked with DO and CD set (RFC 4035 §3.2.2), so they pass on signed
/// data they did not (or could not) validate, and every answer (records, CNAMEs, NODATA/NXDOMAIN
/// proofs) is checked from our root anchors down: DS → DNSKEY → RRSIG, NSEC and NSEC3.
/// <para>
/// The engine is ARSoft.Tools.Net's <see cref="SelfValidatingInternalDnsSecStubResolver"/>,
/// wrapped, not forked: it is given a <see cref="DnsClient"/> on our resolver endpoints and
/// <see cref="RootAnchorHintStore"/> with our anchors, and caches validated DNSKEY and DS RRsets
/// for their TTL, so one instance per run fetches each zone's keys once. It says only
/// signed / unsigned / bogus, so the same answer is also fetched with our own exchange
/// (<see cref="AdBitResolver.FetchAsync"/>, CD set) for the rcode and CNAME chain, and
/// <see cref="DnssecDiagnoser"/> explains a bogus verdict and finds where an insecure chain ends.
/// </para>
/// </summary>
public sealed class LocalValidatingResolver : IDnsResolver, IDisposable
{
    /// <summary>Bounds the validation of one answer, key and DS fetches included.</summary>
    public static readonly TimeSpan DefaultValidationTimeout = TimeSpan.FromSeconds(30);

    private readonly AdBitResolver _fetcher;
    private readonly DnsClient _client;
    private readonly SelfValidatingInternalDnsSecStubResolver _validator;
    private readonly DnssecDiagnoser _diagnoser;
    private readonly TimeSpan _validationTimeout;

    private LocalValidatingResolver(IReadOnlyList<IPEndPoint> servers, IReadOnlyList<TrustAnchor> anchors, TimeProvider time, TimeSpan queryTimeout)
    {
        _fetcher = new AdBitResolver(servers, queryTimeout, AdBitResolver.DefaultAttemptsPerServer) { CheckingDisabled = true };
        var port = servers[0].Port;
        _client = new DnsClient(
            servers.Select(s => s.Address).ToList(),
            [new UdpClientTransport(port), new TcpClientTransport(port)],
            true,
            (int)queryTimeout.TotalMilliseconds)
        {
            IsResponseValidationEnabled = true,
        };
        _validator = new SelfValidatingInternalDnsSecStubResolver(_client, new RootAnchorHintStore(anchors));
        _diagnoser = new DnssecDiagnoser(_fetcher, anchors, time);
        _validationTimeout = queryTimeout * 6;
    }

    /// <summary>Builds the resolver; all <paramref name="servers"/> must use the same port (ARSoft's client takes one).</summary>
    /// <exception cref="ResolverConfigException">The resolvers use different ports.</exception>
    public static LocalValidatingResolver Create(IReadOnlyList<IPEndPoint> servers, IReadOnlyList<TrustAnchor> anchors, TimeProvider time) =>
        Create(servers, anchors, time, AdBitResolver.DefaultQueryTimeout);

    /// <inheritdoc cref="Create(IReadOnlyList{IPEndPoint}, IReadOnlyList{TrustAnchor}, TimeProvider)"/>
    public static LocalValidatingResolver Create(IReadOnlyList<IPEndPoint> servers, IReadOnlyList<TrustAnchor> anchors, TimeProvider time, TimeSpan queryTimeout)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(time);
        if (servers.Count == 0)
        {
            throw new ArgumentException("at least one resolver is needed", nameof(servers));
        }

        if (anchors.Count == 0)
        {
            throw new ArgumentException("at least one trust anchor is needed", nameof(anchors));
        }

        if (servers.Any(s => s.Port != servers[0].Port))
        {
            throw new ResolverConfigException(
                $"-dnssec local needs all resolvers on one port; got {string.Join(", ", servers)}; list only resolvers on port {servers[0].Port} in {ResolverEndpoints.EnvironmentVariable}");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(queryTimeout, TimeSpan.Zero);
        return new LocalValidatingResolver(servers, anchors, time, queryTimeout);
    }

    public Task<DnsAnswer<MxRecord>> QueryMxAsync(string domain, CancellationToken ct) =>
        QueryAsync<ArsMx, MxRecord>(domain, RecordType.Mx, mx => new MxRecord(mx.Preference, DnsAnswerBuilder.NameOf(mx.ExchangeDomainName)), ct);

    public Task<DnsAnswer<SrvRecord>> QuerySrvAsync(string name, CancellationToken ct) =>
        QueryAsync<ArsSrv, SrvRecord>(name, RecordType.Srv, srv => new SrvRecord(srv.Priority, srv.Weight, srv.Port, DnsAnswerBuilder.NameOf(srv.Target)), ct);

    public Task<DnsAnswer<IPAddress>> QueryAddressesAsync(string host, AddressFamily family, CancellationToken ct) => family switch
    {
        AddressFamily.InterNetwork => QueryAsync<ARecord, IPAddress>(host, RecordType.A, a => a.Address, ct),
        AddressFamily.InterNetworkV6 => QueryAsync<AaaaRecord, IPAddress>(host, RecordType.Aaaa, a => a.Address, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "only InterNetwork (A) and InterNetworkV6 (AAAA)"),
    };

    public Task<DnsAnswer<TlsaRecord>> QueryTlsaAsync(string name, CancellationToken ct) =>
        QueryAsync<ArsTlsa, TlsaRecord>(
            name,
            RecordType.Tlsa,
            t => new TlsaRecord((byte)t.CertificateUsage, (byte)t.Selector, (byte)t.MatchingType, t.CertificateAssociationData),
            ct);

    public Task<DnsAnswer<string>> QueryTxtAsync(string name, CancellationToken ct) =>
        QueryAsync<TxtRecord, string>(name, RecordType.Txt, t => string.Concat(t.TextParts), ct);

    public void Dispose()
    {
        ((IDisposable)_validator).Dispose();
        ((IDisposable)_client).Dispose();
    }

    private async Task<DnsAnswer<T>> QueryAsync<TArs, T>(string name, RecordType type, Func<TArs, T> convert, CancellationToken ct)
        where TArs : DnsRecordBase
        where T : class
    {
        var queryName = DnsQueryWriter.Normalize(name);
        var typeName = type.ToString().ToUpperInvariant();
        var (message, failure) = await _fetcher.FetchAsync(queryName, type, ct).ConfigureAwait(false);
        if (message is null)
        {
            return DnsAnswer<T>.Failed(queryName, failure!);
        }

        DnsAnswer<T> plain;
        try
        {
            plain = DnsAnswerBuilder.Build(queryName, type, message, r => r is TArs t ? convert(t) : null, AdBitResolver.MaxCnameChain);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return DnsAnswer<T>.Failed(queryName, $"unusable answer for {typeName} \"{queryName}\" ({e.GetType().Name})");
        }

        if (plain.Outcome == DnsOutcome.Failed)
        {
            return plain;
        }

        var (verdict, validated, error) = await ValidateAsync<TArs>(queryName, type, ct).ConfigureAwait(false);
        switch (verdict)
        {
            case DnsSecValidationResult.Signed:
                // Only records the validator checked are used; the plain answer gives rcode and chain,
                // so its chain must end where the validated records are (TLSA follows that name).
                if (validated!.Count > 0 && DnsAnswerBuilder.NameOf(validated[0].Name) is var owner && owner != plain.CanonicalName)
                {
                    return plain with
                    {
                        Security = DnsSecurity.Bogus,
                        Records = [],
                        Failure = $"bogus: the validated {typeName} records of \"{queryName}\" are at \"{owner}\", but the CNAME chain in the answer ends at \"{plain.CanonicalName}\"",
                    };
                }

                // ARSoft does not compare an RRSIG's algorithm with its key's (RFC 4035 §5.3.1).
                if (await _diagnoser.CheckSignatureAlgorithmsAsync(message, ct).ConfigureAwait(false) is { } algorithms)
                {
                    return plain with
                    {
                        Security = algorithms.Bogus ? DnsSecurity.Bogus : DnsSecurity.Indeterminate,
                        Records = [],
                        Failure = (algorithms.Bogus ? "bogus: " : "indeterminate: ") + algorithms.Reason,
                    };
                }

                var records = validated.Select(convert).ToList();
                var outcome = records.Count > 0 ? DnsOutcome.Records
                    : plain.Outcome == DnsOutcome.Records ? DnsOutcome.NoData
                    : plain.Outcome;

                // ARSoft's NSEC3 cover test is wrong (see CheckNsec3Denial): fail closed on a denial that does not hold.
                if (records.Count == 0 && DnssecDiagnoser.CheckNsec3Denial(plain.CanonicalName, type, outcome, message) is { } forged)
                {
                    return plain with { Security = DnsSecurity.Bogus, Records = [], Failure = "bogus: " + forged };
                }
                return plain with { Outcome = outcome, Security = DnsSecurity.Secure, Records = records };

            case DnsSecValidationResult.Unsigned:
                var cut = await _diagnoser.FindInsecureCutAsync(plain.CanonicalName, ct).ConfigureAwait(false);
                return plain with { Security = DnsSecurity.Insecure, InsecureAt = cut };

            case DnsSecValidationResult.Bogus:
                var why = await _diagnoser.ExplainBogusAsync(queryName, type, message, ct).ConfigureAwait(false);
                return plain with { Security = DnsSecurity.Bogus, Records = [], Failure = "bogus: " + why };

            default:
                return plain with
                {
                    Security = DnsSecurity.Indeterminate,
                    Records = [],
                    Failure = $"indeterminate: cannot validate {typeName} \"{queryName}\": {error ?? "unsupported algorithm or incomplete answer"}",
                };
        }
    }

    /// <summary>ARSoft's verdict; bogus and lookup trouble arrive as exceptions there, as verdicts here.</summary>
    private async Task<(DnsSecValidationResult Verdict, List<TArs>? Records, string? Error)> ValidateAsync<TArs>(string queryName, RecordType type, CancellationToken ct)
        where TArs : DnsRecordBase
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_validationTimeout);
        try
        {
            var name = queryName.Length == 0 ? DomainName.Root : DomainName.Parse(queryName);
            var result = await _validator.ResolveSecureAsync<TArs>(name, type, RecordClass.INet, timeout.Token).ConfigureAwait(false);
            return (result.ValidationResult, result.Records, null);
        }
        catch (DnsSecValidationException)
        {
            return (DnsSecValidationResult.Bogus, null, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var seconds = _validationTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return (DnsSecValidationResult.Indeterminate, null, $"validation did not finish within {seconds} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // ARSoft throws a plain Exception("DNS request failed") when a key or DS fetch fails.
            return (DnsSecValidationResult.Indeterminate, null, $"a DNSKEY or DS lookup failed ({e.Message})");
        }
    }
}
