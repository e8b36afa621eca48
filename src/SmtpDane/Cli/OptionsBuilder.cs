using SmtpDane.Certificates;
using SmtpDane.Model;
using SmtpDane.Net;
using SmtpDane.Reporting;
using SmtpDane.Targets;


namespace SmtpDane.Cli;

/// <summary>Validates parsed flags and host arguments into <see cref="CliOptions"/>; every problem is reported.</summary>
internal static class OptionsBuilder
{
    /// <summary>Largest -timeout; CancellationTokenSource.CancelAfter cannot go much beyond.</summary>
    private static readonly TimeSpan MaxOverallTimeout = TimeSpan.FromHours(1000);

    /// <summary>Set by <see cref="ArgumentParser"/> for the <c>serve</c> subcommand; not a flag.</summary>
    internal const string ServeFlag = " serve";

    public static ParseResult Build(
        RawFlags raw,
        IReadOnlyList<string> hosts,
        IReadOnlyDictionary<string, string?> environment,
        bool stdoutIsTerminal,
        ServiceTable services)
    {
        var nagios = raw.Bool("nagios");
        var errors = new List<string>();
        var srvText = raw.String("srv");
        var srvGiven = raw.Given("srv");

        FlagValues.Conflicts(errors, ("mx", raw.Bool("mx")), ("submission", raw.Bool("submission")), ("submissions", raw.Bool("submissions")), ("srv", srvGiven));
        FlagValues.Conflicts(errors, ("4", raw.Bool("4")), ("6", raw.Bool("6")));
        FlagValues.Conflicts(errors, ("json", raw.Bool("json")), ("json-lines", raw.Bool("json-lines")), ("nagios", nagios));
        FlagValues.Conflicts(errors, ("quiet", raw.Bool("quiet")), ("json", raw.Bool("json")));
        FlagValues.Conflicts(errors, ("quiet", raw.Bool("quiet")), ("json-lines", raw.Bool("json-lines")));

        var mode = TargetMode.Host;
        string? service = null;
        if (raw.Bool("mx"))
        {
            mode = TargetMode.Mx;
        }
        else if (raw.Bool("submission"))
        {
            (mode, service) = (TargetMode.Srv, "submission");
        }
        else if (raw.Bool("submissions"))
        {
            (mode, service) = (TargetMode.Srv, "submissions");
        }
        else if (srvGiven)
        {
            mode = TargetMode.Srv;
            service = FlagValues.SrvService(srvText!, errors);
        }

        var portText = raw.Text("port");
        if (!PortSpec.TryParse(portText, services, out var defaultPort, out var portError))
        {
            errors.Add($"can't parse -port {GoDuration.Quote(portText)}: {portError}");
        }

        var overall = raw.Duration("timeout");
        if (overall <= TimeSpan.Zero || overall > MaxOverallTimeout)
        {
            errors.Add($"-timeout must be more than 0s and at most {GoDuration.Format(MaxOverallTimeout)}, not {GoDuration.Format(overall)}");
        }

        var step = raw.Duration("step-timeout");
        if (step <= TimeSpan.Zero)
        {
            errors.Add($"-step-timeout must be more than 0s, not {GoDuration.Format(step)}");
        }

        // Go: 0 means no connect timeout of its own; ours is then bounded by -timeout alone.
        var connect = raw.Duration("connect-timeout");
        if (connect < TimeSpan.Zero)
        {
            errors.Add($"-connect-timeout must not be negative, not {GoDuration.Format(connect)}");
        }

        var expiration = raw.Duration("expiration-warning");
        if (expiration < TimeSpan.Zero)
        {
            errors.Add($"-expiration-warning must not be negative (0s disables the warning), not {GoDuration.Format(expiration)}");
        }

        var helo = raw.Text("helo");
        if (!FlagValues.IsValidHelo(helo, out var heloReason))
        {
            errors.Add($"invalid -helo {GoDuration.Quote(helo)}: {heloReason}");
        }

        var aka = new List<string>();
        foreach (var name in raw.List("aka"))
        {
            if (HostName.TryNormalize(name, out var normalized, out var reason))
            {
                aka.Add(normalized);
            }
            else
            {
                errors.Add($"invalid -aka name {GoDuration.Quote(name)}: {reason}");
            }
        }

        Uri? proxy = null;
        if (raw.String("proxy-tcp") is { Length: 0 })
        {
            // An empty value used to mean "no proxy": a typo'd variable must not silently connect directly.
            errors.Add("-proxy-tcp needs a URL such as socks5://127.0.0.1:1080; leave the flag out to connect directly");
        }
        else if (raw.String("proxy-tcp") is { } proxyText)
        {
            try
            {
                proxy = Socks5Connector.ParseProxyUri(proxyText);
            }
            catch (ArgumentException ex)
            {
                var message = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
                errors.Add($"invalid -proxy-tcp: {message}");
            }
        }

        var dnssec = raw.Text("dnssec");
        if (dnssec is not (CliOptions.DnssecResolver or CliOptions.DnssecLocal))
        {
            errors.Add($"invalid -dnssec {GoDuration.Quote(dnssec)}: expected resolver or local");
        }
        else if (dnssec != CliOptions.DnssecLocal && raw.Given("trust-anchor"))
        {
            // Resolver mode trusts the resolver's anchors; silently ignoring ours would mislead.
            errors.Add("-trust-anchor needs -dnssec local (in resolver mode the resolver's own trust anchors decide)");
        }

        var targets = new List<Target>(hosts.Count);
        foreach (var host in hosts)
        {
            if (TargetParser.TryParse(host, mode, services, out var target, out var targetError))
            {
                targets.Add(target!);
            }
            else
            {
                errors.Add(targetError);
            }
        }

        // -f and serve take their targets elsewhere (BatchFlags validates those flags).
        var serve = raw.Bool(ServeFlag);
        var batch = serve ? null : BatchFlags.BuildBatch(raw, hosts.Count > 0, services, errors);
        var serveOptions = serve ? BatchFlags.BuildServe(raw, errors) : null;
        if (serve && hosts.Count > 0)
        {
            errors.Add("serve takes no host arguments: targets come from /probe?target=…");
        }

        var mtaSts = raw.Bool("mta-sts");
        var caFiles = raw.List("ca-file").ToList();
        if (mtaSts && mode != TargetMode.Mx && batch is null && !serve)
        {
            errors.Add("-mta-sts needs -mx: MTA-STS (RFC 8461) protects a mail domain's MX hosts");
        }

        if (caFiles.Count > 0 && !mtaSts && !serve)
        {
            errors.Add("-ca-file is only used with -mta-sts (Web PKI anchors for the policy host and the MX certificates)");
        }

        foreach (var file in caFiles)
        {
            try
            {
                _ = WebPkiTrust.Load([file], useSystem: false);
            }
            catch (CertificateParseException e)
            {
                errors.Add($"invalid -ca-file: {e.Message}");
            }
        }

        var noHosts = hosts.Count == 0 && batch is null && !serve;
        if (noHosts)
        {
            errors.Add(mode == TargetMode.Host
                ? "no hosts given: name at least one host after the flags"
                : "no domains given: name at least one domain after the flags");
        }

        if (errors.Count > 0)
        {
            return ParseResult.Fail(string.Join('\n', errors), nagios, showUsage: noHosts);
        }

        var probe = new ProbeSettings
        {
            Mode = mode,
            SrvService = service,
            DefaultPort = defaultPort,
            TlsOnConnect = raw.Bool("tls-on-connect") || raw.Bool("submissions"),
            ConnectTimeout = connect == TimeSpan.Zero || connect > overall ? overall : connect,
            StepTimeout = step > overall ? overall : step,
            OverallTimeout = overall,
            Helo = helo,
            AkaNames = aka,
            Ipv4 = !raw.Bool("6"),
            Ipv6 = !raw.Bool("4"),
            ProxyTcp = proxy,
            ExpirationWarning = expiration,
            ExpectOcsp = raw.Bool("expect-ocsp"),
            ShowCertInfo = raw.Bool("show-cert-info"),
            ShowCerts = raw.Bool("showcerts"),
            NoCertNames = raw.Bool("nocertnames"),
            RolloverCheck = raw.Bool("rollover-check"),
            MtaSts = mtaSts,
            CaFiles = caFiles,
        };

        var format = nagios ? OutputFormat.Nagios
            : raw.Bool("json") ? OutputFormat.Json
            : raw.Bool("json-lines") ? OutputFormat.JsonLines
            : OutputFormat.Text;
        var output = new OutputOptions
        {
            Format = format,
            Quiet = raw.Bool("quiet"),
            Terse = raw.Bool("terse") || nagios,
            Color = format == OutputFormat.Text && stdoutIsTerminal && !raw.Bool("nocolor") && FlagValues.ColorAllowedBy(environment),
            ShowCertInfo = probe.ShowCertInfo,
            ShowCerts = probe.ShowCerts,
            ExpectOcsp = probe.ExpectOcsp,
            Debug = raw.Bool("debug"),
        };

        return ParseResult.Run(new CliOptions(probe, output, [.. targets.Select(t => ProbeRequest.For(t, probe))], nagios, dnssec, raw.String("trust-anchor"), raw.Bool("debug"))
        {
            Batch = batch,
            Serve = serveOptions,
        });
    }
}
