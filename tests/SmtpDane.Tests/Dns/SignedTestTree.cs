using System.Collections.Concurrent;
using System.Text;
using ARSoft.Tools.Net.Dns;

namespace SmtpDane.Tests.Dns;

/// <summary>
/// A small signed DNS hierarchy served by <see cref="FakeDnsServer"/> as if it were a recursive
/// resolver: the root "." (its own key: the tool is anchored at it), "example." (signed, NSEC)
/// with MX 10 mx.example, mx.example A 127.0.0.1 and TLSA 3 1 1 at <see cref="TlsaOwner"/>, and
/// "unsigned." (delegated without DS) with host.unsigned A 127.0.0.1. Denials carry their NSEC
/// proofs. Signatures are made at answer time relative to the real clock (libunbound checks
/// them against it). <see cref="Forge"/> answers first: that is where each attack goes.
/// </summary>
public sealed class SignedTestTree
{
    private readonly ConcurrentDictionary<(string, ushort, string), FakeRr[]> _signed = new();
    private readonly List<Zone> _zones;

    public SignedTestTree(int port, byte algorithm = 13, TestKey? rootKey = null)
    {
        RootKey = rootKey ?? TestKey.Create(13, ".");
        ExampleKey = TestKey.Create(algorithm, "example");
        TlsaOwner = $"_{port}._tcp.mx.example";
        var root = new Zone(".", RootKey);
        root.Add(".", 48, RootKey.DnsKeyRdata);
        root.Add("example", 43, ExampleKey.DsRdata());
        root.Add("example", 2, FakeDnsServer.EncodeName("ns.example"));
        root.Add("unsigned", 2, FakeDnsServer.EncodeName("ns.unsigned"));
        var example = new Zone("example", ExampleKey);
        example.Add("example", 48, ExampleKey.DnsKeyRdata);
        example.Add("example", 2, FakeDnsServer.EncodeName("ns.example"));
        example.Add("example", 15, [0, 10, .. FakeDnsServer.EncodeName("mx.example")]);
        example.Add("mx.example", 1, [127, 0, 0, 1]);
        example.Add(TlsaOwner, 52, [3, 1, 1, .. TlsaData]);
        var unsigned = new Zone("unsigned", null);
        unsigned.Add("unsigned", 2, FakeDnsServer.EncodeName("ns.unsigned"));
        unsigned.Add("host.unsigned", 1, [127, 0, 0, 1]);
        _zones = [root, example, unsigned];
    }

    /// <summary>The genuine TLSA association data (a SHA-256-sized digest no server key has).</summary>
    public static byte[] TlsaData { get; } = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    public TestKey RootKey { get; }

    public TestKey ExampleKey { get; }

    public string TlsaOwner { get; }

    public DateTime Inception { get; init; } = DateTime.UtcNow.AddHours(-1);

    public DateTime Expiration { get; init; } = DateTime.UtcNow.AddDays(1);

    /// <summary>The attack: a reply for the queries it wants, null to let the genuine tree answer.</summary>
    public Func<FakeQuery, FakeReply?>? Forge { get; set; }

    public Zone Example => _zones[1];

    public FakeReply? Answer(FakeQuery q) => Forge?.Invoke(q) ?? Genuine(q);

    /// <summary>What an honest recursive resolver would return (CNAMEs chased once).</summary>
    public FakeReply Genuine(FakeQuery q)
    {
        var name = Normal(q.Name);
        var type = (ushort)q.Type;
        var zone = ZoneFor(name, type);
        if (zone.Has(name, type))
        {
            return new FakeReply(ReturnCode.NoError, false, Signed(zone, name, type));
        }

        if (zone.Has(name, 5))
        {
            var cname = Signed(zone, name, 5);
            var chased = Genuine(q with { Name = ReadName(cname[0].Rdata) });
            return chased with { Answers = [.. cname, .. chased.Answers] };
        }

        return Deny(zone, name);
    }

    /// <summary>The RRset at name/type of its zone with its RRSIG, signed now (cached per tree).</summary>
    public FakeRr[] Signed(string name, ushort type) => Signed(ZoneFor(name, type), name, type);

    /// <summary>The zone's NSEC at <paramref name="owner"/> (an existing name) with its RRSIG.</summary>
    public FakeRr[] Nsec(string owner) => Signed(ZoneFor(owner, 47), owner, 47);

    /// <summary>A signed negative answer: NODATA or NXDOMAIN with the NSEC records that prove it, and the SOA.</summary>
    public FakeReply Deny(Zone zone, string name)
    {
        var names = zone.Names();
        var exists = names.Contains(name) || names.Any(n => n.EndsWith("." + name, StringComparison.Ordinal));
        var proof = new List<FakeRr>();
        if (zone.Key is not null)
        {
            proof.AddRange(Signed(zone, zone.Name, 6));
            proof.AddRange(Signed(zone, names.Contains(name) ? name : Covering(names, name), 47));
            if (!exists)
            {
                var wildcard = Covering(names, zone.Name == "." ? "*" : "*." + zone.Name);
                if (!proof.Any(r => r.Type == 47 && r.Name == wildcard))
                {
                    proof.AddRange(Signed(zone, wildcard, 47));
                }
            }
        }

        return new FakeReply(exists ? ReturnCode.NoError : ReturnCode.NxDomain, false, [], Authority: proof);
    }

    public Zone ZoneFor(string name, ushort type)
    {
        var zone = _zones.Where(z => z.Contains(name)).MaxBy(z => z.Name == "." ? 0 : z.Name.Count(c => c == '.') + 1)!;
        return type == 43 && zone.Name == name && name != "." ? _zones[0] : zone;
    }

    public static string Normal(string name)
    {
        var n = name.TrimEnd('.').ToLowerInvariant();
        return n.Length == 0 ? "." : n;
    }

    public static string ReadName(byte[] wire, int offset = 0)
    {
        var labels = new List<string>();
        while (wire[offset] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(wire, offset + 1, wire[offset]));
            offset += wire[offset] + 1;
        }

        return labels.Count == 0 ? "." : string.Join('.', labels);
    }

    private FakeRr[] Signed(Zone zone, string name, ushort type) =>
        _signed.GetOrAdd((name, type, zone.Name), _ =>
        {
            var rdatas = type switch
            {
                47 => [NsecRdata(zone, name)],
                6 => [[.. FakeDnsServer.EncodeName("ns." + zone.Name), .. FakeDnsServer.EncodeName("hostmaster." + zone.Name), 0, 0, 0, 1, 0, 0, 14, 16, 0, 0, 7, 8, 0, 9, 58, 128, 0, 0, 1, 44]],
                _ => zone.Data[name][type],
            };
            return zone.Key is null || (type == 2 && name != zone.Name)
                ? [.. rdatas.Select(r => new FakeRr(name, type, r))]
                : zone.Key.Sign(name, type, rdatas, Inception, Expiration);
        });

    /// <summary>RFC 4034 §4.1: next owner in canonical order (wrapping to the apex) and the type bitmap.</summary>
    private static byte[] NsecRdata(Zone zone, string owner)
    {
        var names = zone.Names();
        var next = names[(names.IndexOf(owner) + 1) % names.Count];
        var types = new SortedSet<ushort>(zone.Data[owner].Keys) { 46, 47 };
        if (owner == zone.Name)
        {
            types.Add(6);
        }

        var bits = new byte[(types.Max / 8) + 1];
        foreach (var t in types)
        {
            bits[t / 8] |= (byte)(0x80 >> (t % 8));
        }

        return [.. FakeDnsServer.EncodeName(next), 0, (byte)bits.Length, .. bits];
    }

    /// <summary>The existing name whose NSEC covers <paramref name="name"/> (the last one before it in canonical order).</summary>
    private static string Covering(List<string> names, string name) =>
        names.LastOrDefault(n => CanonicalComparer.Instance.Compare(n, name) < 0) ?? names[^1];

    /// <summary>One zone's data: owner → type → RDATAs. Delegations (NS, DS) sit in the parent.</summary>
    public sealed class Zone(string name, TestKey? key)
    {
        public string Name { get; } = name;

        public TestKey? Key { get; } = key;

        public Dictionary<string, Dictionary<ushort, List<byte[]>>> Data { get; } = new(StringComparer.Ordinal);

        public void Add(string owner, ushort type, byte[] rdata)
        {
            if (!Data.TryGetValue(owner, out var types))
            {
                Data[owner] = types = [];
            }

            if (!types.TryGetValue(type, out var list))
            {
                types[type] = list = [];
            }

            list.Add(rdata);
        }

        public bool Has(string owner, ushort type) => Data.TryGetValue(owner, out var t) && t.ContainsKey(type);

        public bool Contains(string owner) => Name == "." || owner == Name || owner.EndsWith("." + Name, StringComparison.Ordinal);

        /// <summary>Owner names in canonical order (RFC 4034 §6.1), the apex first.</summary>
        public List<string> Names() => [.. Data.Keys.Append(Name).Distinct().Order(CanonicalComparer.Instance)];
    }

    /// <summary>RFC 4034 §6.1: compare label by label from the right, case-insensitively.</summary>
    private sealed class CanonicalComparer : IComparer<string>
    {
        public static readonly CanonicalComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = Labels(x!);
            var b = Labels(y!);
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                var c = string.CompareOrdinal(a[i], b[i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return a.Length.CompareTo(b.Length);
        }

        private static string[] Labels(string name) => name == "." ? [] : [.. name.Split('.').Reverse()];
    }
}
