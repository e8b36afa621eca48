using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using SmtpDane.Dns;

namespace SmtpDane.Tests.Dns;

/// <summary>
/// A root zone signed in-process (ARSoft's signer, one KSK and one ZSK) served by the fake
/// server: each DNSSEC algorithm must validate, and tampering must be caught with a reason.
/// </summary>
public class LocalValidatingResolverTests
{
    [Theory]
    [InlineData(DnsSecAlgorithm.RsaSha256, 2048)]
    [InlineData(DnsSecAlgorithm.RsaSha512, 2048)]
    [InlineData(DnsSecAlgorithm.EcDsaP256Sha256, 0)]
    [InlineData(DnsSecAlgorithm.EcDsaP384Sha384, 0)]
    [InlineData(DnsSecAlgorithm.Ed25519, 0)]
    [InlineData(DnsSecAlgorithm.Ed448, 0)]
    public async Task SignedRoot_EachAlgorithm_Secure(DnsSecAlgorithm algorithm, int bits)
    {
        var zone = SignedTree(algorithm, bits, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddDays(1), out var anchor);
        await using var server = new FakeDnsServer(q => Answer(zone, q, tamper: false));
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [anchor], TimeProvider.System);

        var answer = await resolver.QueryAddressesAsync("host.example", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsSecurity.Secure, answer.Security);
        Assert.Equal([IPAddress.Parse("192.0.2.25")], answer.Records);
    }

    [Fact]
    public async Task TamperedSignature_Bogus_SaysItDoesNotVerify()
    {
        var zone = SignedTree(DnsSecAlgorithm.EcDsaP256Sha256, 0, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddDays(1), out var anchor);
        await using var server = new FakeDnsServer(q => Answer(zone, q, tamper: true));
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [anchor], TimeProvider.System);

        var answer = await resolver.QueryAddressesAsync("host.example", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsSecurity.Bogus, answer.Security);
        Assert.Empty(answer.Records);
        Assert.Equal("bogus: the RRSIG for host.example A, or the proof that it does not exist, does not verify", answer.Failure);
    }

    [Fact]
    public async Task ExpiredSignature_Bogus_NamesTheDate()
    {
        var expired = new DateTime(2026, 1, 31, 0, 0, 0, DateTimeKind.Utc);
        var zone = SignedTree(DnsSecAlgorithm.EcDsaP256Sha256, 0, expired.AddDays(-30), expired, out var anchor);
        await using var server = new FakeDnsServer(q => Answer(zone, q, tamper: false));
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [anchor], TimeProvider.System);

        var answer = await resolver.QueryAddressesAsync("host.example", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsSecurity.Bogus, answer.Security);
        Assert.Equal("bogus: RRSIG for host.example A expired 2026-01-31", answer.Failure);
    }

    [Fact]
    public async Task WrongAnchor_Bogus_NamesTheKeyTag()
    {
        var zone = SignedTree(DnsSecAlgorithm.EcDsaP256Sha256, 0, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddDays(1), out _);
        await using var server = new FakeDnsServer(q => Answer(zone, q, tamper: false));
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], TrustAnchors.BuiltIn, TimeProvider.System);

        var answer = await resolver.QueryAddressesAsync("host.example", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsSecurity.Bogus, answer.Security);
        Assert.Equal("bogus: no DNSKEY of . matches the trust anchor (key tag 20326, 38696)", answer.Failure);
    }

    [Fact]
    public async Task SilentServer_Failed_NotThrown()
    {
        await using var server = new FakeDnsServer(_ => null);
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], TrustAnchors.BuiltIn, TimeProvider.System, TimeSpan.FromMilliseconds(200));

        var answer = await resolver.QueryTlsaAsync("_25._tcp.mx.example", CancellationToken.None);

        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.Equal(DnsSecurity.Indeterminate, answer.Security);
    }

    [Fact]
    public void Create_ResolversOnDifferentPorts_ConfigError()
    {
        var e = Assert.Throws<ResolverConfigException>(() => LocalValidatingResolver.Create(
            [new IPEndPoint(IPAddress.Loopback, 53), new IPEndPoint(IPAddress.Loopback, 5353)], TrustAnchors.BuiltIn, TimeProvider.System));

        Assert.Contains("one port", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nsec3NoData_Valid_SecureNoData()
    {
        var tree = Nsec3Tree();
        var proof = tree.Nsec3["host.example"];
        await using var server = new FakeDnsServer(q => Deny(tree, q, "host.example", RecordType.Aaaa, ReturnCode.NoError, proof));
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [tree.Anchor], TimeProvider.System);

        var answer = await resolver.QueryAddressesAsync("host.example", AddressFamily.InterNetworkV6, CancellationToken.None);

        Assert.Equal(DnsSecurity.Secure, answer.Security);
        Assert.Equal(DnsOutcome.NoData, answer.Outcome);
    }

    [Fact]
    public async Task Nsec3NoData_TamperedNsec3Signature_Bogus()
    {
        var tree = Nsec3Tree();
        var proof = Tamper(tree.Nsec3["host.example"]);
        await using var server = new FakeDnsServer(q => Deny(tree, q, "host.example", RecordType.Aaaa, ReturnCode.NoError, proof));
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [tree.Anchor], TimeProvider.System);

        var answer = await resolver.QueryAddressesAsync("host.example", AddressFamily.InterNetworkV6, CancellationToken.None);

        Assert.Equal(DnsSecurity.Bogus, answer.Security);
        Assert.Equal("bogus: the RRSIG for host.example AAAA, or the proof that it does not exist, does not verify", answer.Failure);
    }

    [Fact]
    public async Task Nsec3NoData_ReplayedNsec3ListsTheType_Bogus()
    {
        // host.example has an A record; a forger strips it and replays host.example's genuine NSEC3.
        var tree = Nsec3Tree();
        var proof = tree.Nsec3["host.example"];
        await using var server = new FakeDnsServer(q => Deny(tree, q, "host.example", RecordType.A, ReturnCode.NoError, proof));
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [tree.Anchor], TimeProvider.System);

        var answer = await resolver.QueryAddressesAsync("host.example", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsSecurity.Bogus, answer.Security);
        Assert.Empty(answer.Records);
        Assert.StartsWith("bogus: ", answer.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nsec3NxDomain_Valid_SecureNxDomain()
    {
        var tree = Nsec3Tree();
        var missing = UncoveredByApex(tree);
        FakeRr[] proof = [.. tree.Nsec3["example"], .. tree.Nsec3["host.example"]];
        await using var server = new FakeDnsServer(q => Deny(tree, q, missing, RecordType.A, ReturnCode.NxDomain, proof));
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [tree.Anchor], TimeProvider.System);

        var answer = await resolver.QueryAddressesAsync(missing, AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsSecurity.Secure, answer.Security);
        Assert.Equal(DnsOutcome.NxDomain, answer.Outcome);
    }

    [Fact]
    public async Task Nsec3NxDomain_NextCloserNotCovered_Bogus()
    {
        // The apex NSEC3 (genuine) proves the closest encloser, but nothing covers the next closer name.
        var tree = Nsec3Tree();
        var missing = UncoveredByApex(tree);
        var proof = tree.Nsec3["example"];
        await using var server = new FakeDnsServer(q => Deny(tree, q, missing, RecordType.A, ReturnCode.NxDomain, proof));
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [tree.Anchor], TimeProvider.System);

        var answer = await resolver.QueryAddressesAsync(missing, AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsSecurity.Bogus, answer.Security);
        Assert.Equal($"bogus: the NSEC3 proof that {missing} has no A does not hold: no NSEC3 record covers the next closer name {missing}", answer.Failure);
    }

    [Fact]
    public async Task Nsec3NxDomain_ProofShowsTheNameExists_Bogus()
    {
        // NXDOMAIN for host.example, "proved" with its own NSEC3: that proves the name exists (NODATA for AAAA at most).
        var tree = Nsec3Tree();
        var proof = tree.Nsec3["host.example"];
        await using var server = new FakeDnsServer(q => Deny(tree, q, "host.example", RecordType.Aaaa, ReturnCode.NxDomain, proof));
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [tree.Anchor], TimeProvider.System);

        var answer = await resolver.QueryAddressesAsync("host.example", AddressFamily.InterNetworkV6, CancellationToken.None);

        Assert.Equal(DnsSecurity.Bogus, answer.Security);
        Assert.Equal("bogus: NXDOMAIN for host.example, but an NSEC3 record matches the name, so it exists", answer.Failure);
    }

    [Fact]
    public async Task RrsigAlgorithmFieldDiffersFromKey_Bogus_SaysSo()
    {
        // Signed by example.'s ECDSA P-256 key (algorithm 13), but the RRSIG says algorithm 8.
        var zone = SignedTree(DnsSecAlgorithm.EcDsaP256Sha256, 0, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddDays(1), out var anchor, out var child, hostAlgorithm: 8);
        await using var server = new FakeDnsServer(q => Answer(zone, q, tamper: false));
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [anchor], TimeProvider.System);

        var answer = await resolver.QueryAddressesAsync("host.example", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsSecurity.Bogus, answer.Security);
        Assert.Empty(answer.Records);
        Assert.Equal(
            $"bogus: the RRSIG for host.example A is algorithm 8, but key tag {child.Record.CalculateKeyTag()} of example is algorithm 13 (RFC 4035 §5.3.1)",
            answer.Failure);
    }

    [Fact]
    public async Task SignedWithAlgorithm13UnderAlgorithm8Key_Bogus_SaysSo()
    {
        // example.'s key is RSA/SHA-256 (8); host.example A is signed with an ECDSA P-256 key (13) under its key tag.
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var zone = SignedTree(
            DnsSecAlgorithm.RsaSha256, 2048, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddDays(1), out var anchor, out var child,
            hostAlgorithm: 13, hostSign: data => other.SignData(data, HashAlgorithmName.SHA256));
        await using var server = new FakeDnsServer(q => Answer(zone, q, tamper: false));
        using var resolver = LocalValidatingResolver.Create([server.EndPoint], [anchor], TimeProvider.System);

        var answer = await resolver.QueryAddressesAsync("host.example", AddressFamily.InterNetwork, CancellationToken.None);

        Assert.Equal(DnsSecurity.Bogus, answer.Security);
        Assert.Equal(
            $"bogus: the RRSIG for host.example A is algorithm 13, but key tag {child.Record.CalculateKeyTag()} of example is algorithm 8 (RFC 4035 §5.3.1)",
            answer.Failure);
    }

    /// <summary>The signed tree plus an NSEC3 chain (SHA-1, no salt, 0 iterations) for example.: its apex and host.example.</summary>
    private static Nsec3Zone Nsec3Tree()
    {
        var inception = DateTime.UtcNow.AddHours(-1);
        var expiration = DateTime.UtcNow.AddDays(1);
        var rrsets = SignedTree(DnsSecAlgorithm.EcDsaP256Sha256, 0, inception, expiration, out var anchor, out var child);
        (string Name, ushort[] Types)[] names = [("example", [2, 6, 46, 48, 51]), ("host.example", [1, 46])];
        var ordered = names.OrderBy(n => DnssecDiagnoser.Nsec3Hash(n.Name, 0, []), StringComparer.Ordinal).ToList();
        var nsec3 = new Dictionary<string, FakeRr[]>(StringComparer.Ordinal);
        for (var i = 0; i < ordered.Count; i++)
        {
            var next = ordered[(i + 1) % ordered.Count].Name;
            byte[] rdata = [1, 0, .. U16(0), 0, 20, .. Nsec3Raw(next), .. Bitmap(ordered[i].Types)];
            nsec3[ordered[i].Name] = child.SignRrset($"{DnssecDiagnoser.Nsec3Hash(ordered[i].Name, 0, [])}.example", 50, rdata, inception, expiration);
        }

        return new Nsec3Zone(rrsets, anchor, nsec3, ordered.Select(n => n.Name).ToList());
    }

    private sealed record Nsec3Zone(List<FakeRr[]> RrSets, TrustAnchor Anchor, Dictionary<string, FakeRr[]> Nsec3, List<string> HashOrder);

    /// <summary>A name below example. whose hash the apex NSEC3 does not cover (so host.example's does).</summary>
    private static string UncoveredByApex(Nsec3Zone tree)
    {
        var apex = DnssecDiagnoser.Nsec3Hash("example", 0, []);
        var next = DnssecDiagnoser.Nsec3Hash(tree.HashOrder[(tree.HashOrder.IndexOf("example") + 1) % tree.HashOrder.Count], 0, []);
        for (var i = 0; ; i++)
        {
            var name = $"missing{i}.example";
            var h = DnssecDiagnoser.Nsec3Hash(name, 0, []);
            var covered = string.CompareOrdinal(apex, next) < 0
                ? string.CompareOrdinal(h, apex) > 0 && string.CompareOrdinal(h, next) < 0
                : string.CompareOrdinal(h, apex) > 0 || string.CompareOrdinal(h, next) < 0;
            if (!covered)
            {
                return name;
            }
        }
    }

    /// <summary>The tree's answers, except <paramref name="name"/>/<paramref name="type"/>: an empty answer with <paramref name="proof"/> in the authority section.</summary>
    private static FakeReply Deny(Nsec3Zone tree, FakeQuery q, string name, RecordType type, ReturnCode rcode, FakeRr[] proof) =>
        q.Name.TrimEnd('.').Equals(name, StringComparison.OrdinalIgnoreCase) && q.Type == type
            ? new FakeReply(rcode, false, [], Authority: proof)
            : Answer(tree.RrSets, q, tamper: false);

    private static FakeRr[] Tamper(FakeRr[] rrset) =>
        [.. rrset.Select(r => r.Type == 46 ? r with { Rdata = [.. r.Rdata[..^1], (byte)(r.Rdata[^1] ^ 1)] } : r)];

    /// <summary>RFC 5155 §5 hash with no salt and no extra iterations, raw (the next hashed owner field).</summary>
    private static byte[] Nsec3Raw(string name)
    {
#pragma warning disable CA5350 // SHA-1 is NSEC3's hash
        return SHA1.HashData(FakeDnsServer.EncodeName(name));
#pragma warning restore CA5350
    }

    /// <summary>RFC 4034 §4.1.2 type bitmap, window 0 only.</summary>
    private static byte[] Bitmap(ushort[] types)
    {
        var bits = new byte[(types.Max() / 8) + 1];
        foreach (var t in types)
        {
            bits[t / 8] |= (byte)(0x80 >> (t % 8));
        }

        return [0, (byte)bits.Length, .. bits];
    }

    /// <summary>
    /// host.example. A, signed with <paramref name="algorithm"/> by example.'s one key, below a
    /// root signed with ECDSA P-256. Signed here with .NET and BouncyCastle, independent of ARSoft.
    /// </summary>
    private static List<FakeRr[]> SignedTree(DnsSecAlgorithm algorithm, int bits, DateTime inception, DateTime expiration, out TrustAnchor anchor) =>
        SignedTree(algorithm, bits, inception, expiration, out anchor, out _);

    /// <param name="child">example.'s key, to sign more of its records (host.example A is signed already).</param>
    private static List<FakeRr[]> SignedTree(DnsSecAlgorithm algorithm, int bits, DateTime inception, DateTime expiration, out TrustAnchor anchor, out TestKey child, byte? hostAlgorithm = null, Func<byte[], byte[]>? hostSign = null)
    {
        var root = TestKey.Create(DnsSecAlgorithm.EcDsaP256Sha256, 0, ".");
        child = TestKey.Create(algorithm, bits, "example");
        var rootDs = new DsRecord(root.Record, 0, DnsSecDigestType.Sha256);
        anchor = new TrustAnchor(rootDs.KeyTag, (byte)rootDs.Algorithm, (byte)rootDs.DigestType, rootDs.Digest);
        var childDs = new DsRecord(child.Record, 3600, DnsSecDigestType.Sha256);
        byte[] childDsData = [.. U16(childDs.KeyTag), (byte)childDs.Algorithm, (byte)childDs.DigestType, .. childDs.Digest];
        return
        [
            root.SignRrset(".", 48, root.DnsKeyRdata, inception, expiration),
            root.SignRrset("example", 43, childDsData, inception, expiration),
            child.SignRrset("example", 48, child.DnsKeyRdata, inception, expiration),
            child.SignRrset("host.example", 1, IPAddress.Parse("192.0.2.25").GetAddressBytes(), inception, expiration, hostAlgorithm, hostSign),
        ];
    }

    private sealed record TestKey(string Zone, DnsKeyRecord Record, byte[] DnsKeyRdata, Func<byte[], byte[]> Sign)
    {
        public static TestKey Create(DnsSecAlgorithm algorithm, int bits, string zone)
        {
            byte[] publicKey;
            Func<byte[], byte[]> sign;
            switch (algorithm)
            {
                case DnsSecAlgorithm.RsaSha256 or DnsSecAlgorithm.RsaSha512:
                    var rsa = RSA.Create(bits);
                    var rp = rsa.ExportParameters(false);
                    publicKey = [(byte)rp.Exponent!.Length, .. rp.Exponent, .. rp.Modulus!]; // RFC 3110 §2
                    var hash = algorithm == DnsSecAlgorithm.RsaSha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512;
                    sign = data => rsa.SignData(data, hash, RSASignaturePadding.Pkcs1);
                    break;
                case DnsSecAlgorithm.EcDsaP256Sha256 or DnsSecAlgorithm.EcDsaP384Sha384:
                    var p256 = algorithm == DnsSecAlgorithm.EcDsaP256Sha256;
                    var ec = ECDsa.Create(p256 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384);
                    var ep = ec.ExportParameters(false);
                    publicKey = [.. ep.Q.X!, .. ep.Q.Y!]; // RFC 6605 §4
                    sign = data => ec.SignData(data, p256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384);
                    break;
                case DnsSecAlgorithm.Ed25519:
                    var ed25519 = new Ed25519PrivateKeyParameters(new SecureRandom());
                    publicKey = ed25519.GeneratePublicKey().GetEncoded();
                    sign = data =>
                    {
                        var signer = new Ed25519Signer();
                        signer.Init(true, ed25519);
                        signer.BlockUpdate(data, 0, data.Length);
                        return signer.GenerateSignature();
                    };
                    break;
                case DnsSecAlgorithm.Ed448:
                    var ed448 = new Ed448PrivateKeyParameters(new SecureRandom());
                    publicKey = ed448.GeneratePublicKey().GetEncoded();
                    sign = data =>
                    {
                        var signer = new Ed448Signer([]);
                        signer.Init(true, ed448);
                        signer.BlockUpdate(data, 0, data.Length);
                        return signer.GenerateSignature();
                    };
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(algorithm));
            }

            var record = new DnsKeyRecord(
                zone == "." ? DomainName.Root : DomainName.Parse(zone), RecordClass.INet, 3600, DnsKeyFlags.Zone | DnsKeyFlags.SecureEntryPoint, 3, algorithm, publicKey, null);
            return new TestKey(zone, record, [.. U16(257), 3, (byte)algorithm, .. publicKey], sign);
        }

        /// <summary>A one-record RRset and its RRSIG (RFC 4034 §3.1.8.1 signed data; owner names are lower case already).</summary>
        /// <param name="algorithm">The RRSIG's algorithm field, when it should lie about the key's.</param>
        /// <param name="sign">Signs with another key (but this key's tag), when the signature should not match.</param>
        public FakeRr[] SignRrset(string owner, ushort type, byte[] rdata, DateTime inception, DateTime expiration, byte? algorithm = null, Func<byte[], byte[]>? sign = null)
        {
            var labels = (byte)(owner == "." ? 0 : owner.Split('.').Length);
            byte[] sigHeader = [
                .. U16(type), algorithm ?? (byte)Record.Algorithm, labels, .. U32(3600), .. U32(Epoch(expiration)), .. U32(Epoch(inception)),
                .. U16(Record.CalculateKeyTag()), .. FakeDnsServer.EncodeName(Zone)];
            byte[] rr = [.. FakeDnsServer.EncodeName(owner), .. U16(type), .. U16(1), .. U32(3600), .. U16((ushort)rdata.Length), .. rdata];
            return [new FakeRr(owner, type, rdata), new FakeRr(owner, 46, [.. sigHeader, .. (sign ?? Sign)([.. sigHeader, .. rr])])];
        }
    }

    private static FakeReply Answer(List<FakeRr[]> rrsets, FakeQuery q, bool tamper)
    {
        var name = q.Name.TrimEnd('.').ToLowerInvariant();
        var set = rrsets.FirstOrDefault(s => s[0].Name.TrimEnd('.').Equals(name, StringComparison.OrdinalIgnoreCase) && s[0].Type == (ushort)q.Type);
        if (set is null)
        {
            return FakeDnsServer.Reply(ReturnCode.NoError, false);
        }

        if (tamper && q.Type == RecordType.A)
        {
            set = [.. set.Select(r => r.Type == 46 ? r with { Rdata = [.. r.Rdata[..^1], (byte)(r.Rdata[^1] ^ 1)] } : r)];
        }

        return FakeDnsServer.Reply(ReturnCode.NoError, false, set);
    }

    private static uint Epoch(DateTime t) => (uint)new DateTimeOffset(t.ToUniversalTime()).ToUnixTimeSeconds();

    private static byte[] U16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, v);
        return b;
    }

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, v);
        return b;
    }
}
