using SmtpDane.Dane;
using SmtpDane.Findings;
using SmtpDane.Model;


namespace SmtpDane.Reporting;

/// <summary>
/// Human output. Full mode walks the tree in given order (targets as given, hosts by preference,
/// addresses as resolved); -terse prints one line per problem plus a verdict per address; -quiet
/// prints nothing unless something is wrong, then as -terse. Every network string is escaped.
/// </summary>
public static class TextRenderer
{
    public static void Render(RunResult result, OutputOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);

        if (options.Quiet && ExitCodes.EffectiveWorst(result) < Severity.Warning)
        {
            return;
        }

        if (options.Terse || options.Quiet)
        {
            RenderTerse(result, options, output);
            return;
        }

        for (var i = 0; i < result.Targets.Count; i++)
        {
            if (i > 0)
            {
                Line(output, "");
            }

            RenderTarget(result.Targets[i], options, output);
        }

        if (result.Findings.Count > 0)
        {
            Line(output, "");
            foreach (var f in result.Findings)
            {
                RenderFinding(f, "", options, output);
            }
        }

        Line(output, "");
        Line(output, Ansi.Paint(RunSummary.Of(result).Sentence(), Paint(ExitCodes.EffectiveWorst(result)), options.Color));
    }

    private static void RenderTerse(RunResult result, OutputOptions options, TextWriter output)
    {
        foreach (var (severity, text) in TerseLines.For(result, HostileText.ForTerminal))
        {
            Line(output, Ansi.Paint(text, severity, options.Color));
        }

        // Certificate details stay available in terse mode, after the verdicts.
        if (options.ShowCertInfo || options.ShowCerts)
        {
            foreach (var (host, address) in Probes(result))
            {
                RenderCertificates(host, address, "", options, output, header: true);
            }
        }
    }

    private static void RenderTarget(TargetResult target, OutputOptions options, TextWriter output)
    {
        var port = target.Target.Port is { } p ? $" port {p}" : "";
        Line(output, $"{HostileText.ForTerminal(target.Target.Argument, Labels.NameLength)} ({Labels.Mode(target.Target)}{port})");
        foreach (var f in target.Findings)
        {
            RenderFinding(f, "  ", options, output);
        }

        if (target.Hosts.Count == 0 && !Verdicts.NoHostsByDesign(target))
        {
            Line(output, "  " + Ansi.Paint($"=> no SMTP host to probe for {HostileText.ForTerminal(target.Target.Name, Labels.NameLength)}", Severity.Error, options.Color));
        }

        foreach (var host in target.Hosts)
        {
            RenderHost(host, options, output);
        }
    }

    private static void RenderHost(HostResult host, OutputOptions options, TextWriter output)
    {
        var extras = new List<string>();
        if (host.Preference is { } preference)
        {
            extras.Add($"preference {preference}");
        }

        if (host.TlsOnConnect)
        {
            extras.Add("TLS on connect");
        }

        var hostPort = Labels.HostPort(host.Name, host.Port, HostileText.ForTerminal);
        Line(output, extras.Count == 0 ? $"  {hostPort}" : $"  {hostPort} ({string.Join(", ", extras)})");

        var caLabels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in host.Findings)
        {
            if (f.Code == FindingCodes.TlsaKnownCa && f.Data is { } data &&
                data.TryGetValue("tlsa", out var record) && data.TryGetValue("ca", out var ca) &&
                host.Tlsa.Any(t => t.ToString() == record))
            {
                caLabels[record] = ca;
                continue; // shown as the record's label below
            }

            if (!options.Debug && ShownInTlsaList(f, host))
            {
                continue; // the record list below says the same, once
            }

            RenderFinding(f, "    ", options, output);
        }

        if (host.Tlsa.Count > 0)
        {
            var at = host.TlsaBaseName is null ? "" : $" at _{host.Port}._tcp.{HostileText.ForTerminal(host.TlsaBaseName, Labels.NameLength)}";
            var secure = host.Findings.Any(f => f.Code == FindingCodes.TlsaFound)
                ? $" (DNSSEC secure, {host.Tlsa.Count(r => TlsaUsability.UnusableReason(r) is null)} usable)"
                : "";
            Line(output, $"    TLSA records{at}{secure}:");
            foreach (var record in host.Tlsa)
            {
                Line(output, $"      {Describe(record, caLabels)}");
            }
        }

        if (host.Addresses.Count == 0)
        {
            Line(output, "    " + Ansi.Paint($"=> no address to probe for {hostPort}", Severity.Error, options.Color));
        }

        foreach (var address in host.Addresses)
        {
            Line(output, $"    {Labels.Address(address.Address)}:{address.Port}");
            foreach (var f in address.Findings)
            {
                if (Shown(f, options))
                {
                    RenderFinding(f, "      ", options, output);
                }

                // -show-cert-info puts these details in its block; -expect-ocsp alone puts them here.
                if (options.ExpectOcsp && !options.ShowCertInfo && f == OcspDetails.FindingOf(address) && OcspDetails.Describe(address) is { } ocsp)
                {
                    Line(output, $"            OCSP staple: {ocsp}");
                }
            }

            RenderCertificates(host, address, "      ", options, output, header: false);
            var verdict = Verdicts.Of(address);
            Line(output, "      " + Ansi.Paint(
                $"=> {Labels.Verdict(address)}: {Labels.Endpoint(host, address, HostileText.ForTerminal)} in {Labels.Seconds(address.Duration)}",
                Paint(verdict),
                options.Color));
        }
    }

    /// <summary>
    /// tlsa.found repeats the record list and tlsa.unusable a record's [unusable: …] label; the list
    /// carries both, so outside -debug they are not printed twice.
    /// </summary>
    private static bool ShownInTlsaList(Finding f, HostResult host) => f.Code switch
    {
        FindingCodes.TlsaFound => host.Tlsa.Count > 0,
        FindingCodes.TlsaUnusable => f.Data is { } data && data.TryGetValue("record", out var record) && host.Tlsa.Any(t => t.ToString() == record),
        _ => false,
    };

    private static string Describe(TlsaRecord record, Dictionary<string, string> caLabels)
    {
        var text = record.ToString();
        var reason = TlsaUsability.UnusableReason(record);
        if (caLabels.TryGetValue(text, out var ca))
        {
            text += $" ({HostileText.ForTerminal(ca, Labels.NameLength)})";
        }

        return reason is null ? text : $"{text} [unusable: {reason}]";
    }

    private static void RenderCertificates(HostResult host, AddressResult address, string indent, OutputOptions options, TextWriter output, bool header)
    {
        if (address.Tls is not { } tls || !(options.ShowCertInfo || options.ShowCerts))
        {
            return;
        }

        if (header)
        {
            Line(output, $"{Labels.Endpoint(host, address, HostileText.ForTerminal)}:");
        }

        if (options.ShowCertInfo)
        {
            CertificateInfoWriter.WriteInfo(output, tls, header ? "  " : indent, OcspDetails.Describe(address));
        }

        if (options.ShowCerts)
        {
            CertificateInfoWriter.WritePem(output, tls);
        }
    }

    /// <summary>OCSP details are shown only with -show-cert-info or -expect-ocsp, unless they are problems.</summary>
    private static bool Shown(Finding f, OutputOptions options) =>
        f.Severity >= Severity.Warning || options.ShowCertInfo || options.ExpectOcsp ||
        !f.Code.StartsWith("ocsp.", StringComparison.Ordinal);

    private static void RenderFinding(Finding f, string indent, OutputOptions options, TextWriter output)
    {
        var tag = f.Severity switch
        {
            Severity.Error => "ERROR",
            Severity.Warning => "WARN ",
            Severity.Success => "ok   ",
            _ => "info ",
        };
        Line(output, indent + Ansi.Paint($"{tag} {HostileText.ForTerminal(f.Message, Labels.MessageLength)}", f.Severity, options.Color));
        if (!options.Debug)
        {
            return;
        }

        Line(output, $"{indent}      code={f.Code}");
        foreach (var (key, value) in (f.Data ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Line(output, $"{indent}      {HostileText.ForTerminal(key, 64)}={HostileText.ForTerminal(value, 500)}");
        }
    }

    private static Severity Paint(Severity effective) => effective == Severity.Info ? Severity.Success : effective;

    private static IEnumerable<(HostResult Host, AddressResult Address)> Probes(RunResult result) =>
        from t in result.Targets from h in t.Hosts from a in h.Addresses select (h, a);

    private static void Line(TextWriter w, string text)
    {
        w.Write(text);
        w.Write('\n');
    }
}
