namespace SmtpDane.Model;

/// <summary>
/// One target to check, typed, with everything that can differ from target to target: the target
/// (argument, mode, name, port), the SRV service its mode looks up, whether TLS starts on connect,
/// and whether MTA-STS is checked. A host argument, an -f line and a /probe request each become
/// one; none is turned back into command-line text to be parsed again.
/// </summary>
/// <param name="SrvService">SRV service label without underscore ("submission"); set only when <see cref="Target"/>'s mode is Srv.</param>
public sealed record ProbeRequest(Target Target, string? SrvService, bool TlsOnConnect, bool MtaSts)
{
    /// <summary>A target of the command line, under the command line's mode, -srv, -tls-on-connect and -mta-sts.</summary>
    public static ProbeRequest For(Target target, ProbeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(settings);
        return new(target, target.Mode == TargetMode.Srv ? settings.SrvService : null, settings.TlsOnConnect, settings.MtaSts);
    }

    /// <summary>The run's settings with this request's mode, SRV service, TLS mode and MTA-STS choice.</summary>
    public ProbeSettings Apply(ProbeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings with { Mode = Target.Mode, SrvService = SrvService, TlsOnConnect = TlsOnConnect, MtaSts = MtaSts };
    }
}
