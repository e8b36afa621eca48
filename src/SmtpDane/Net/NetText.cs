using System.Globalization;
using System.Net;

namespace SmtpDane.Net;

/// <summary>Wording shared by the connectors' messages.</summary>
internal static class NetText
{
    /// <summary>"192.0.2.1 port 25", "2001:db8::1 port 25".</summary>
    public static string Endpoint(IPAddress address, int port) => $"{address} port {port}";

    /// <summary>"10s", "1.5s", "300ms".</summary>
    public static string Duration(TimeSpan t) =>
        t.TotalSeconds >= 1
            ? t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
            : t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms";

    /// <summary>Guards a connector's timeout argument.</summary>
    public static void ValidateTimeout(TimeSpan timeout, string paramName)
    {
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(paramName, timeout, "timeout must be positive");
        }
    }
}
