using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SmtpDane.Tests.Tls;

/// <summary>Loopback connects and line I/O for the TLS tests.</summary>
internal static class TlsTestIo
{
    public static async Task<TcpClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        return tcp;
    }

    public static async Task WriteLineAsync(Stream stream, string line) =>
        await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));

    /// <summary>One line without its CR LF; null at EOF.</summary>
    public static async Task<string?> ReadLineAsync(Stream stream)
    {
        var sb = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            if (one[0] == '\n')
            {
                return sb.ToString().TrimEnd('\r');
            }

            sb.Append((char)one[0]);
        }

        return sb.Length == 0 ? null : sb.ToString();
    }
}
