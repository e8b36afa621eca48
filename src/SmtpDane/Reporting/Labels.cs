using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Reporting;

/// <summary>Shared, escaped labels for hosts, addresses and durations. Escaping is the caller's <c>escape</c>.</summary>
internal static class Labels
{
    /// <summary>Names are at most 253 octets; leave room for escapes.</summary>
    public const int NameLength = 300;

    /// <summary>A message holds a sentence plus at most a reply line or two.</summary>
    public const int MessageLength = 1200;

    /// <summary>"host:port", IPv6 literals bracketed.</summary>
    public static string HostPort(string name, int port, Func<string, int, string> escape)
    {
        var safe = escape(name, NameLength);
        return safe.Contains(':', StringComparison.Ordinal) ? $"[{safe}]:{port}" : $"{safe}:{port}";
    }

    public static string Address(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <summary>Postfix style "host[addr]:port".</summary>
    public static string Endpoint(HostResult host, AddressResult address, Func<string, int, string> escape) =>
        $"{escape(host.Name, NameLength)}[{address.Address}]:{address.Port}";

    public static string Mode(Target target) => target.Mode switch
    {
        TargetMode.Mx => "MX",
        TargetMode.Srv => "SRV",
        _ => "host",
    };

    /// <summary>Seconds with millisecond precision, "0.250s".</summary>
    public static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + "s";

    public static string Utc(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string UtcMillis(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Verdict(AddressResult address) => Verdicts.Of(address) switch
    {
        Severity.Error => "DANE NOT verified",
        Severity.Warning => "DANE verified, with warnings",
        _ => "DANE verified",
    };
}
