using SmtpDane.Model;
using SmtpDane.Targets;

namespace SmtpDane.Exporter;

/// <summary>
/// One /probe request: the typed <see cref="ProbeRequest"/> the runner gets (the same type as a
/// host argument or an -f line), plus the mode as the scraper named it, for the metrics' labels.
/// <see cref="Key"/> identifies identical requests for the result cache.
/// </summary>
public sealed record ScrapeRequest(ProbeRequest Probe, string ModeName)
{
    /// <summary>Longest target parameter accepted (a 253-character name plus a port).</summary>
    public const int MaxTargetLength = 300;

    public string Key => $"{ModeName} {Probe.SrvService} {Probe.Target.Name} {Probe.Target.Port}";

    /// <summary>
    /// From the query parameters; false with a one-line reason for a 400. mode=mta-sts is an MX
    /// check plus MTA-STS/TLS-RPT (RFC 8461, RFC 8460), labelled apart from mode=mx.
    /// </summary>
    public static bool TryParse(string? target, string? mode, string? service, ServiceTable services, out ScrapeRequest? request, out string error)
    {
        ArgumentNullException.ThrowIfNull(services);
        request = null;
        if (string.IsNullOrWhiteSpace(target))
        {
            error = "missing target parameter: /probe?target=example.org&mode=mx";
            return false;
        }

        if (target.Length > MaxTargetLength || target.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            error = "target too long, or it holds spaces or control characters";
            return false;
        }

        var modeName = string.IsNullOrEmpty(mode) ? "mx" : mode.ToLowerInvariant();
        (TargetMode kind, string? srv, bool tls) = modeName switch
        {
            "mx" or "mta-sts" => (TargetMode.Mx, null, false),
            "host" => (TargetMode.Host, null, false),
            "submission" => (TargetMode.Srv, "submission", false),
            "submissions" => (TargetMode.Srv, "submissions", true),
            "srv" => (TargetMode.Srv, service?.ToLowerInvariant(), false),
            _ => ((TargetMode)(-1), null, false),
        };
        if ((int)kind < 0)
        {
            error = "mode must be mx, mta-sts, host, submission, submissions or srv";
            return false;
        }

        if (modeName == "srv" && (srv is null || !SrvServiceName.IsValid(srv.TrimStart('_'))))
        {
            error = "mode=srv needs service=NAME (letters, digits, inner hyphens)";
            return false;
        }

        if (!TargetParser.TryParse(target, kind, services, out var parsed, out error))
        {
            return false;
        }

        request = new ScrapeRequest(new ProbeRequest(parsed!, srv?.TrimStart('_'), tls, modeName == "mta-sts"), modeName);
        return true;
    }
}
