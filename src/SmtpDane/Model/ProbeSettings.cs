namespace SmtpDane.Model;

/// <summary>
/// The frozen probe configuration, built and validated by <c>Cli/</c>. Everything below the CLI
/// reads this and nothing else. Defaults match the Go smtpdane.
/// </summary>
public sealed record ProbeSettings
{
    // Mode, SrvService, TlsOnConnect and MtaSts are the command line's; a ProbeRequest sets them
    // per target (ProbeRequest.Apply), and -f lines without a mode of their own inherit them.
    public TargetMode Mode { get; init; } = TargetMode.Host;

    /// <summary>SRV service label without underscore ("submission"), when <see cref="Mode"/> is Srv.</summary>
    public string? SrvService { get; init; }

    /// <summary>Port used when neither the argument nor an SRV record gives one.</summary>
    public int DefaultPort { get; init; } = 25;

    public bool TlsOnConnect { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bounds each SMTP reply and the TLS handshake (a whole step, not each read).</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bounds the whole run; unfinished probes are reported as timed out.</summary>
    public TimeSpan OverallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public string Helo { get; init; } = "smtpdane.invalid";

    /// <summary>Extra acceptable names for DANE-TA name checks (-aka).</summary>
    public IReadOnlyList<string> AkaNames { get; init; } = [];

    public bool Ipv4 { get; init; } = true;

    public bool Ipv6 { get; init; } = true;

    /// <summary>socks5://[user:pass@]host:port, or null for direct connections.</summary>
    public Uri? ProxyTcp { get; init; }

    /// <summary>Warning window for expiry; zero disables only the warning, never the date checks (Go tool: -expiration-warning 0s).</summary>
    public TimeSpan ExpirationWarning { get; init; } = TimeSpan.FromHours(168);

    public bool ExpectOcsp { get; init; }

    public bool ShowCertInfo { get; init; }

    public bool ShowCerts { get; init; }

    /// <summary>Do not load system CA certificates to label TLSA records.</summary>
    public bool NoCertNames { get; init; }

    /// <summary>-rollover-check: warn when no usable TLSA record leaves room for a key change (off by default).</summary>
    public bool RolloverCheck { get; init; }

    /// <summary>-mta-sts: check MTA-STS and TLS-RPT of MX targets, and Web PKI of each MX certificate.</summary>
    public bool MtaSts { get; init; }

    /// <summary>-ca-file: extra Web PKI anchors (PEM files) for MTA-STS, beside the system bundle.</summary>
    public IReadOnlyList<string> CaFiles { get; init; } = [];
}
