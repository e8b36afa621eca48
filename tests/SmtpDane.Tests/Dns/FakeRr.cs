using System.Buffers.Binary;
using System.Net;

namespace SmtpDane.Tests.Dns;

/// <summary>A resource record as wire bytes; use the helpers.</summary>
public sealed record FakeRr(string Name, ushort Type, byte[] Rdata)
{
    public static FakeRr A(string name, string ip) => new(name, 1, IPAddress.Parse(ip).GetAddressBytes());

    public static FakeRr Aaaa(string name, string ip) => new(name, 28, IPAddress.Parse(ip).GetAddressBytes());

    public static FakeRr Cname(string name, string target) => new(name, 5, FakeDnsServer.EncodeName(target));

    public static FakeRr Mx(string name, ushort preference, string exchange) =>
        new(name, 15, [.. U16(preference), .. FakeDnsServer.EncodeName(exchange)]);

    public static FakeRr Srv(string name, ushort priority, ushort weight, ushort port, string target) =>
        new(name, 33, [.. U16(priority), .. U16(weight), .. U16(port), .. FakeDnsServer.EncodeName(target)]);

    public static FakeRr Tlsa(string name, byte usage, byte selector, byte matching, byte[] data) =>
        new(name, 52, [usage, selector, matching, .. data]);

    private static byte[] U16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }
}
