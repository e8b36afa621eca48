using SmtpDane.Targets;

namespace SmtpDane.Cli;

/// <summary>
/// One flag, and <see cref="All"/>, the table of every flag: the single source for the parser, the
/// defaults <see cref="OptionsBuilder"/> builds on (through <see cref="RawFlags"/>), -help, the man
/// page and the bash completion. A default is written as a user would type it and shown the way
/// Go's PrintDefaults shows it.
/// </summary>
/// <param name="ValueName">Shown after the flag in help ("duration", "string"); empty for booleans.</param>
/// <param name="Default">The value when the flag is not given, as typed on the command line; null for Go's zero value (false, "", none).</param>
/// <param name="AliasOf">Another name for this flag (-p for -port): both set one value, the last given wins.</param>
internal sealed record FlagDefinition(string Name, FlagKind Kind, string ValueName, string Usage, string? Default = null, string? AliasOf = null)
{
    private static readonly FlagDefinition Port = new("port", FlagKind.String, "port", "port to connect to: number, service name, or name(number)", "smtp(25)");

    private static readonly FlagDefinition Quiet = Bool("quiet", "be quiet unless there's a failure");

    /// <summary>Every flag, sorted by name as Go's PrintDefaults lists them.</summary>
    public static IReadOnlyList<FlagDefinition> All { get; } =
    [
        Bool("4", "only probe IPv4 addresses"),
        Bool("6", "only probe IPv6 addresses"),
        new("aka", FlagKind.List, "name", "add this also-known-as for all cert validations (repeatable)"),
        new("allow-targets", FlagKind.List, "domain|cidr", "serve: a domain (and the names below it) or address block /probe may check (repeatable); without CIDR blocks only public addresses are connected to"),
        new("ca-file", FlagKind.List, "file", "with -mta-sts: extra Web PKI trust anchors (PEM), beside the system bundle (repeatable)"),
        new("cache-ttl", FlagKind.Duration, "duration", "serve: how long a /probe result answers identical requests (0s: no cache)", "30s"),
        new("connect-timeout", FlagKind.Duration, "duration", "timeout for SMTP connection establishment (0: only -timeout bounds it)", "10s"),
        Bool("debug", "show debugging output; may be unpretty"),
        Bool("debug-fast", "bypass batching controls for quiet (accepted for compatibility; no effect)"),
        new("dns-parallel", FlagKind.Int, "n", "with -f: DNS queries in flight at once", "64"),
        new("dnssec", FlagKind.String, "mode", "DNSSEC validation: resolver (trust a validating resolver's AD bit) or local (validate in the tool from -trust-anchor)", "resolver"),
        Bool("expect-ocsp", "treat missing OCSP as an error"),
        new("expiration-warning", FlagKind.Duration, "duration", "warn if cert in chain this close to expiring (0s: no warning; expired is always an error)", "168h"),
        new("f", FlagKind.String, "file", "read targets from this file (- for stdin), one per line, optionally prefixed mx, submission, submissions, srv SERVICE or host; # comments"),
        new("helo", FlagKind.String, "name", "name to send in HELO/EHLO", "smtpdane.invalid"),
        Bool("json", "write the whole run as one JSON document"),
        Bool("json-lines", "write JSON Lines: one JSON object per line"),
        new("listen", FlagKind.String, "address", "serve: address:port for the Prometheus exporter", "127.0.0.1:9125"),
        new("max-connections", FlagKind.Int, "n", "serve: HTTP connections open at once; more get 503 (also lowered to fit the file-descriptor limit)", "4096"),
        Bool("mta-sts", "with -mx: also check MTA-STS (RFC 8461) and TLS-RPT (RFC 8460), and each MX certificate under the Web PKI"),
        Bool("mx", "arguments are domains, lookup MX records"),
        Bool("nagios", "format output as NAGIOS plugin (implies -terse and -nocolor)"),
        Bool("nocertnames", "inhibit loading certs to name TLSA records"),
        Bool("nocolor", "inhibit color output (also NO_COLOR in the environment)"),
        Port.Alias("p", "port to connect to (alias of -port)"),
        new("parallel", FlagKind.Int, "n", "with -f or serve: probes (connections) in flight at once", "32"),
        Port,
        new("proxy-tcp", FlagKind.String, "url", "use a proxy (socks5://[user:pass@]host:port) for TCP connections (not DNS resolution)"),
        Quiet.Alias("q", "be quiet unless there's a failure (alias of -quiet)"),
        Quiet,
        Bool("rollover-check", "warn when the only usable TLSA records match today's certificate, leaving no room for a key rollover (RFC 7671 section 8)"),
        new("shard", FlagKind.String, "K/N", "with -f: run only the lines whose stable hash falls in shard K of N"),
        Bool("show-cert-info", "show information about certs"),
        Bool("showcerts", "show PEM of certificates seen"),
        new("srv", FlagKind.String, "service", "arguments are domains, lookup this TCP SRV record"),
        new("step-timeout", FlagKind.Duration, "duration", "timeout for each SMTP reply and for the TLS handshake", "30s"),
        Bool("submission", "arguments are domains, lookup submission SRV records"),
        Bool("submissions", "arguments are domains, lookup submissions SRV records & auto-enable -tls-on-connect"),
        Bool("terse", "terse output"),
        new("timeout", FlagKind.Duration, "duration", "deadline for the whole run; unfinished probes are reported as timed out", "1m"),
        Bool("tls-on-connect", "start TLS immediately upon connection"),
        new("trust-anchor", FlagKind.String, "file", "DNSSEC trust anchor file, for -dnssec local"),
        Bool("version", "show version and exit"),
    ];

    /// <summary>
    /// <see cref="Default"/> as -help shows it, after Go's PrintDefaults: strings quoted (%q),
    /// durations in Go's canonical form (168h0m0s), numbers as they are.
    /// </summary>
    public string? DefaultShown => Default is null ? null : Kind switch
    {
        FlagKind.String => GoDuration.Quote(Default),
        FlagKind.Duration => GoDuration.Format(DefaultDuration),
        _ => Default,
    };

    /// <summary>The parsed <see cref="Default"/> of a duration flag; every duration flag has one.</summary>
    public TimeSpan DefaultDuration => Kind == FlagKind.Duration && Default is not null && GoDuration.TryParse(Default, out var value, out _)
        ? value
        : throw new InvalidOperationException($"-{Name} has no duration default");

    /// <summary>The flag whose value this one sets: itself, or the flag it is an alias of.</summary>
    public string Slot => AliasOf ?? Name;

    public static FlagDefinition? Find(string name) => Find(All, name);

    public static FlagDefinition? Find(IReadOnlyList<FlagDefinition> table, string name)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var flag in table)
        {
            if (string.Equals(flag.Name, name, StringComparison.Ordinal))
            {
                return flag;
            }
        }

        return null;
    }

    private static FlagDefinition Bool(string name, string usage) => new(name, FlagKind.Bool, string.Empty, usage);

    /// <summary>Same kind and default as this flag, under another name.</summary>
    private FlagDefinition Alias(string name, string usage) => this with { Name = name, Usage = usage, AliasOf = Name };
}
