using System.Text;

namespace SmtpDane.Cli;

/// <summary>
/// smtpdane(1) in man(7) roff. The OPTIONS section is generated from <see cref="FlagDefinition.All"/>,
/// the table -help prints, so the page cannot list a flag the program lacks or miss one it has;
/// the prose around it is the README's, condensed. Built into the .deb by scripts/package-deb.sh.
/// </summary>
public static class ManPage
{
    /// <param name="version">Shown in the footer, e.g. "0.1.0".</param>
    /// <param name="date">Footer date, e.g. "2026-12-03" (the commit's, so builds are reproducible).</param>
    public static string Build(string version, string date)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(date);
        var sb = new StringBuilder();
        sb.Append(".TH SMTPDANE 1 \"").Append(Escape(date)).Append("\" \"smtpdane ").Append(Escape(version)).Append("\" \"User Commands\"\n");
        sb.Append(Head);
        foreach (var flag in FlagDefinition.All)
        {
            sb.Append(".TP\n\\fB").Append(FlagName(flag.Name)).Append("\\fR");
            if (flag.ValueName.Length > 0)
            {
                sb.Append(" \\fI").Append(Escape(flag.ValueName)).Append("\\fR");
            }

            sb.Append('\n').Append(Escape(flag.Usage));
            if (flag.DefaultShown is { } shown)
            {
                sb.Append(" (default ").Append(Escape(shown)).Append(')');
            }

            sb.Append(".\n");
        }

        sb.Append(".TP\n\\fB").Append(FlagName("help")).Append("\\fR, \\fB").Append(FlagName("h")).Append("\\fR\nprint the usage and every flag, then exit.\n");
        sb.Append(Tail);
        return sb.ToString();
    }

    /// <summary>"-dns-parallel" as roff: a real minus sign, so the name can be searched and pasted.</summary>
    public static string FlagName(string name) => "\\-" + Escape(name);

    /// <summary>Backslashes and minus signs for roff; a leading dot or quote would start a request.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = text.Replace("\\", "\\e", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal);
        return escaped.StartsWith('.') || escaped.StartsWith('\'') ? "\\&" + escaped : escaped;
    }

    private const string Head = """
        .SH NAME
        smtpdane \- check SMTP servers against their DNSSEC\-signed TLSA records (DANE)
        .SH SYNOPSIS
        .B smtpdane
        [\fIflags\fR] \fIhost\fR[:\fIport\fR] ...
        .br
        .B smtpdane
        [\fIflags\fR] \fB\-mx\fR|\fB\-submission\fR|\fB\-submissions\fR|\fB\-srv\fR \fIservice\fR \fIdomain\fR[:\fIport\fR] ...
        .br
        .B smtpdane
        [\fIflags\fR] \fB\-f\fR \fIfile\fR|\fB\-\fR
        .br
        .B smtpdane serve
        [\fB\-listen\fR \fIaddress:port\fR] [\fIflags\fR]
        .SH DESCRIPTION
        .B smtpdane
        finds every MX or SRV host of a domain (or takes the hosts given), connects to every address,
        runs STARTTLS (or TLS on connect), and verifies the certificate chain against the DNSSEC\-signed
        TLSA records (RFC 6698, RFC 7671, RFC 7672), the names, the expiry and the OCSP staple.
        It never reports a host as verified where a DANE\-aware sending MTA would refuse it.
        .PP
        Flags come before the hosts, as \fB\-flag\fR or \fB\-\-flag\fR, \fB\-flag\fR \fIvalue\fR or
        \fB\-flag\fR=\fIvalue\fR; booleans as \fB\-flag\fR or \fB\-flag\fR=false.
        Hosts are \fIhost\fR, \fIhost\fR:\fIport\fR, [\fIIPv6\fR]:\fIport\fR, a bare IPv6 address, or an IP
        literal (probed without DNS; DANE cannot apply to it, so the verdict is an error).
        Ports are a number, a service name, or \fIname\fR(\fInumber\fR).
        .PP
        DNS answers are trusted only when DNSSEC\-secure: by default smtpdane trusts the AD bit of the
        resolvers in \fI/etc/resolv.conf\fR (use a validating resolver on loopback, e.g. unbound);
        \fB\-dnssec local\fR validates every answer itself from the root trust anchors.
        .SH OPTIONS

        """;

    private const string Tail = """
        .SH BATCH MODE
        \fB\-f\fR \fIfile\fR reads one target per line (\fB\-\fR for standard input), optionally prefixed
        \fBmx\fR, \fBsubmission\fR, \fBsubmissions\fR, \fBsrv\fR \fIservice\fR or \fBhost\fR; \fB#\fR starts
        a comment. Results stream in input order; with \fB\-json\-lines\fR one object per target, then a
        summary line. DNS answers and probes of shared MX hosts are made once per run.
        \fB\-shard\fR \fIK\fR/\fIN\fR runs only the lines whose stable hash falls in shard \fIK\fR of
        \fIN\fR, so \fIN\fR machines (or a Kubernetes Indexed Job) split a list without coordination.
        .SH EXPORTER
        \fBsmtpdane serve\fR is a Prometheus exporter in the blackbox_exporter pattern:
        \fBGET /probe?target=\fR\fIdomain\fR\fB&mode=mx\fR (modes mx, submission, submissions, host) runs
        one check and returns \fBsmtpdane_probe_success\fR and per\-address metrics; \fB/metrics\fR has
        the exporter's own counters. Results are cached for \fB\-cache\-ttl\fR and concurrent probes
        are capped by \fB\-parallel\fR. The Debian package ships the unit
        \fIsmtpdane\-exporter.service\fR, disabled; its flags are in \fI/etc/default/smtpdane\fR.
        .SH EXIT STATUS
        .TP
        .B 0
        every probe verified, no warning (\fB\-nagios\fR: OK).
        .TP
        .B 1
        any warning or error; also a bad flag value or conflicting flags
        (\fB\-nagios\fR: WARNING, the worst finding is a warning).
        .TP
        .B 2
        bad flag syntax, as Go's flag package (\fB\-nagios\fR: CRITICAL, an error).
        .TP
        .B 3
        \fB\-nagios\fR only: UNKNOWN (bad flags, internal error, nothing checked).
        .SH ENVIRONMENT
        .TP
        .B DNS_RESOLVER
        comma\- or space\-separated resolvers (\fIip\fR, \fIip\fR:\fIport\fR, [\fIv6\fR]:\fIport\fR)
        used instead of \fI/etc/resolv.conf\fR.
        .TP
        .B NO_COLOR
        no colour (colour is only ever used on a terminal).
        .TP
        .BR SSL_CERT_FILE ", " SSL_CERT_DIR
        CA certificates used only to name TLSA records that match known CAs.
        .SH FILES
        .TP
        .I /etc/resolv.conf
        the resolvers, unless \fBDNS_RESOLVER\fR is set.
        .TP
        .I /etc/services
        port names, read only when a port is given by name.
        .TP
        .I /etc/default/smtpdane
        flags of the exporter service.
        .TP
        .I /usr/share/doc/smtpdane/examples/
        Nagios and Icinga 2 definitions, Prometheus scrape config and alert rules, Kubernetes manifests.
        .SH EXAMPLES
        .nf
        smtpdane \-mx example.org
        smtpdane \-nagios \-expect\-ocsp \-mx example.org
        smtpdane \-submissions example.org
        smtpdane \-q \-expect\-ocsp \-mx example.org          # cron: mail only on problems
        smtpdane \-mx \-json\-lines \-shard 2/4 \-f domains.txt
        smtpdane serve \-listen 127.0.0.1:9125
        .fi
        .SH SEE ALSO
        .BR posttls\-finger (1),
        .BR unbound (8),
        .BR systemd.exec (5)
        .PP
        RFC 6698, RFC 7671, RFC 7672.

        """;
}
