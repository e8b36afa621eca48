namespace SmtpDane.Cli;

/// <summary>One flag: the single source for the parser and the help text.</summary>
/// <param name="ValueName">Shown after the flag in help ("duration", "string"); empty for booleans.</param>
/// <param name="Default">Shown as "(default …)"; null when the zero value.</param>
internal sealed record FlagDefinition(string Name, FlagKind Kind, string ValueName, string Usage, string? Default)
{
    /// <summary>Every flag, sorted by name as Go's PrintDefaults lists them.</summary>
    public static IReadOnlyList<FlagDefinition> All { get; } =
    [
        Bool("4", "only probe IPv4 addresses"),
        Bool("6", "only probe IPv6 addresses"),
        new("aka", FlagKind.List, "name", "add this also-known-as for all cert validations (repeatable)", null),
        new("allow-targets", FlagKind.List, "domain|cidr", "serve: a domain (and the names below it) or address block /probe may check (repeatable); without CIDR blocks only public addresses are connected to", null),
        new("ca-file", FlagKind.List, "file", "with -mta-sts: extra Web PKI trust anchors (PEM), beside the system bundle (repeatable)", null),
        new("cache-ttl", FlagKind.Duration, "duration", "serve: how long a /probe result answers identical requests (0s: no cache)", "30s"),
        new("connect-timeout", FlagKind.Duration, "duration", "timeout for SMTP connection establishment (0: only -timeout bounds it)", "10s"),
        Bool("debug", "show debugging output; may be unpretty"),
        Bool("debug-fast", "bypass batching controls for quiet (accepted for compatibility; no effect)"),
        new("dns-parallel", FlagKind.String, "n", "with -f: DNS queries in flight at once", "64"),
        new("dnssec", FlagKind.String, "mode", "DNSSEC validation: resolver (trust a validating resolver's AD bit) or local (validate in the tool from -trust-anchor)", "\"resolver\""),
        Bool("expect-ocsp", "treat missing OCSP as an error"),
        new("expiration-warning", FlagKind.Duration, "duration", "warn if cert in chain this close to expiring (0s: no warning; expired is always an error)", "168h0m0s"),
        new("f", FlagKind.String, "file", "read targets from this file (- for stdin), one per line, optionally prefixed mx, submission, submissions, srv SERVICE or host; # comments", null),
        new("helo", FlagKind.String, "name", "name to send in HELO/EHLO", "\"smtpdane.invalid\""),
        Bool("json", "write the whole run as one JSON document"),
        Bool("json-lines", "write JSON Lines: one JSON object per line"),
        new("listen", FlagKind.String, "address", "serve: address:port for the Prometheus exporter", "\"127.0.0.1:9125\""),
        new("max-connections", FlagKind.String, "n", "serve: HTTP connections open at once; more get 503 (also lowered to fit the file-descriptor limit)", "4096"),
        Bool("mta-sts", "with -mx: also check MTA-STS (RFC 8461) and TLS-RPT (RFC 8460), and each MX certificate under the Web PKI"),
        Bool("mx", "arguments are domains, lookup MX records"),
        Bool("nagios", "format output as NAGIOS plugin (implies -terse and -nocolor)"),
        Bool("nocertnames", "inhibit loading certs to name TLSA records"),
        Bool("nocolor", "inhibit color output (also NO_COLOR in the environment)"),
        new("p", FlagKind.String, "port", "port to connect to (alias of -port)", "\"smtp(25)\""),
        new("parallel", FlagKind.String, "n", "with -f or serve: probes (connections) in flight at once", "32"),
        new("port", FlagKind.String, "port", "port to connect to: number, service name, or name(number)", "\"smtp(25)\""),
        new("proxy-tcp", FlagKind.String, "url", "use a proxy (socks5://[user:pass@]host:port) for TCP connections (not DNS resolution)", null),
        Bool("q", "be quiet unless there's a failure (alias of -quiet)"),
        Bool("quiet", "be quiet unless there's a failure"),
        Bool("rollover-check", "warn when the only usable TLSA records match today's certificate, leaving no room for a key rollover (RFC 7671 section 8)"),
        new("shard", FlagKind.String, "K/N", "with -f: run only the lines whose stable hash falls in shard K of N", null),
        Bool("show-cert-info", "show information about certs"),
        Bool("showcerts", "show PEM of certificates seen"),
        new("srv", FlagKind.String, "service", "arguments are domains, lookup this TCP SRV record", null),
        new("step-timeout", FlagKind.Duration, "duration", "timeout for each SMTP reply and for the TLS handshake", "30s"),
        Bool("submission", "arguments are domains, lookup submission SRV records"),
        Bool("submissions", "arguments are domains, lookup submissions SRV records & auto-enable -tls-on-connect"),
        Bool("terse", "terse output"),
        new("timeout", FlagKind.Duration, "duration", "deadline for the whole run; unfinished probes are reported as timed out", "1m0s"),
        Bool("tls-on-connect", "start TLS immediately upon connection"),
        new("trust-anchor", FlagKind.String, "file", "DNSSEC trust anchor file, for -dnssec local", null),
        Bool("version", "show version and exit"),
    ];

    public static FlagDefinition? Find(string name)
    {
        foreach (var flag in All)
        {
            if (string.Equals(flag.Name, name, StringComparison.Ordinal))
            {
                return flag;
            }
        }

        return null;
    }

    private static FlagDefinition Bool(string name, string usage) => new(name, FlagKind.Bool, string.Empty, usage, null);
}
