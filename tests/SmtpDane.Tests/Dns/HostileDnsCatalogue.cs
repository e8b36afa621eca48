using System.Security.Cryptography;
using ARSoft.Tools.Net.Dns;

namespace SmtpDane.Tests.Dns;

/// <summary>
/// The attacks of issue #12's catalogue, each as a forgery on <see cref="SignedTestTree"/>:
/// what an on-path attacker (or a broken zone) sends instead of the genuine answer. The attacker
/// has no private key of the tree; where a case needs a signature by the zone's genuine key
/// (replays, old or misconfigured records) the comment says so.
/// </summary>
public static class HostileDnsCatalogue
{
    /// <summary>Which lookup the attack hits; the resolver test asks that one.</summary>
    public enum Lookup
    {
        Mx,
        Address,
        Tlsa,
    }

    /// <summary>One case: the attack, the lookup it targets, the state it must get and the program's finding code.</summary>
    public sealed record Case(string Id, Lookup Lookup, string ExpectedState, string Code, Func<SignedTestTree, Func<FakeQuery, FakeReply?>> Attack);

    public static IReadOnlyList<Case> All { get; } =
    [
        // 1. Forged data where the zone is signed: no RRSIG at all.
        new("01-unsigned-answer", Lookup.Mx, "Bogus", "mx.lookup-failed", t => q =>
            Is(q, "example", 15) ? Reply([new FakeRr("example", 15, [0, 10, .. FakeDnsServer.EncodeName("evil.example")])]) : null),

        // 2. The forger sets AD, hoping it is trusted; still no RRSIG.
        new("02-ad-without-rrsig", Lookup.Tlsa, "Bogus", "tlsa.lookup-failed", t => q =>
            Is(q, t.TlsaOwner, 52) ? Reply([EvilTlsa(t)]) with { Ad = true } : null),

        // 3. The genuine TLSA RRset with its RRSIGs stripped.
        new("03-rrsig-stripped", Lookup.Tlsa, "Bogus", "tlsa.lookup-failed", t => q =>
            Is(q, t.TlsaOwner, 52) ? Reply([.. t.Signed(t.TlsaOwner, 52).Where(r => r.Type != 46)]) : null),

        // 4. Signed by the attacker's key, which is not in example.'s DNSKEY RRset.
        new("04-rrsig-by-foreign-key", Lookup.Tlsa, "Bogus", "tlsa.lookup-failed", t => q =>
            Is(q, t.TlsaOwner, 52) ? Reply(Attacker(t).Sign(t.TlsaOwner, 52, [EvilTlsa(t).Rdata], t.Inception, t.Expiration)) : null),

        // 5. The attacker's key added to the DNSKEY RRset, with the genuine RRSIG (over the original set) replayed.
        //    The whole zone's keys are then bogus, so the program already fails at the MX lookup.
        new("05-dnskey-injected-rrsig-replayed", Lookup.Tlsa, "Bogus", "mx.lookup-failed", t =>
        {
            var attacker = Attacker(t);
            var genuine = t.Signed("example", 48);
            return q =>
                Is(q, "example", 48) ? Reply([.. genuine.Where(r => r.Type == 48), new FakeRr("example", 48, attacker.DnsKeyRdata), .. genuine.Where(r => r.Type == 46)])
                : Is(q, t.TlsaOwner, 52) ? Reply(attacker.Sign(t.TlsaOwner, 52, [EvilTlsa(t).Rdata], t.Inception, t.Expiration))
                : null;
        }),

        // 6. A complete hierarchy under the attacker's own root key; we are anchored at the genuine one.
        new("06-fake-hierarchy", Lookup.Mx, "Bogus", "mx.lookup-failed", t =>
        {
            var fake = new SignedTestTree(Port(t));
            return fake.Genuine;
        }),

        // 7. Old (expired) and future (not yet valid) RRSIGs, made with the genuine key: replays.
        new("07a-rrsig-expired", Lookup.Tlsa, "Bogus", "tlsa.lookup-failed", t => q =>
            Is(q, t.TlsaOwner, 52) ? Reply(t.ExampleKey.Sign(t.TlsaOwner, 52, [EvilTlsa(t).Rdata], DateTime.UtcNow.AddDays(-40), DateTime.UtcNow.AddDays(-10))) : null),
        new("07b-rrsig-not-yet-valid", Lookup.Tlsa, "Bogus", "tlsa.lookup-failed", t => q =>
            Is(q, t.TlsaOwner, 52) ? Reply(t.ExampleKey.Sign(t.TlsaOwner, 52, [EvilTlsa(t).Rdata], DateTime.UtcNow.AddDays(10), DateTime.UtcNow.AddDays(40))) : null),

        // 8. Forged denials with genuine NSEC/NSEC3 records that do not prove them.
        new("08a-tlsa-nxdomain-nsec-not-covering", Lookup.Tlsa, "Bogus", "tlsa.lookup-failed", t => q =>
            Is(q, t.TlsaOwner, 52) ? Deny(t, ReturnCode.NxDomain, t.Nsec("example")) : null),
        new("08b-tlsa-nodata-nsec-lists-tlsa", Lookup.Tlsa, "Bogus", "tlsa.lookup-failed", t => q =>
            Is(q, t.TlsaOwner, 52) ? Deny(t, ReturnCode.NoError, t.Nsec(t.TlsaOwner)) : null),
        new("08c-mxhost-nxdomain-nsec3-no-next-closer", Lookup.Address, "Bogus", "address.lookup-failed", t => q =>
            Is(q, "mx.example", 1) ? Deny(t, ReturnCode.NxDomain, Nsec3(t, "example", [2, 6, 15, 46, 48, 51])) : null),
        new("08d-mxhost-nodata-nsec3-lists-a", Lookup.Address, "Bogus", "address.lookup-failed", t => q =>
            Is(q, "mx.example", 1) ? Deny(t, ReturnCode.NoError, Nsec3(t, "mx.example", [1, 46])) : null),

        // 9. Wildcard expansions signed by the genuine key (as for *.example): wrong labels field; no NSEC for the expansion.
        new("09a-wildcard-wrong-labels", Lookup.Address, "Bogus", "address.lookup-failed", t => q =>
            Is(q, "mx.example", 1) ? Reply(t.ExampleKey.Sign("mx.example", 1, [[127, 0, 0, 2]], t.Inception, t.Expiration, labels: 2, signedOwner: "*.example")) : null),
        new("09b-wildcard-without-nsec", Lookup.Address, "Bogus", "address.lookup-failed", t => q =>
            Is(q, "mx.example", 1) ? Reply(t.ExampleKey.Sign("mx.example", 1, [[127, 0, 0, 2]], t.Inception, t.Expiration, labels: 1, signedOwner: "*.example")) : null),

        // 10. The parent's DS names another key (signed by the parent: a broken delegation); DS stripped.
        new("10a-ds-for-another-key", Lookup.Mx, "Bogus", "mx.lookup-failed", t => q =>
            Is(q, "example", 43) ? Reply(t.RootKey.Sign("example", 43, [Attacker(t).DsRdata()], t.Inception, t.Expiration)) : null),
        new("10b-ds-stripped", Lookup.Mx, "Bogus", "mx.lookup-failed", t => q =>
            Is(q, "example", 43) ? new FakeReply(ReturnCode.NoError, false, []) : null),

        // 11. A signed CNAME into a provably unsigned zone (insecure, RFC 4035 §4.3), and into unsigned data inside the signed zone (bogus).
        new("11a-cname-into-unsigned-zone", Lookup.Address, "Insecure", "address.insecure", t => q =>
            Is(q, "mx.example", 1) || Is(q, "mx.example", 28) ? Chase(t, q, "host.unsigned") : null),
        new("11b-cname-into-unsigned-name", Lookup.Address, "Bogus", "address.lookup-failed", t =>
        {
            // plain.example exists in the signed zone (its NSEC says so), but its A is served unsigned.
            t.Example.Add("plain.example", 1, [127, 0, 0, 1]);
            FakeRr plain = new("plain.example", 1, [127, 0, 0, 1]);
            return q =>
                Is(q, "mx.example", 1) ? Reply([.. t.ExampleKey.Sign("mx.example", 5, [FakeDnsServer.EncodeName("plain.example")], t.Inception, t.Expiration), plain])
                : Is(q, "mx.example", 28) ? Chase(t, q, "plain.example")
                : Is(q, "plain.example", 1) ? Reply([plain])
                : null;
        }),

        // 12. RRSIG algorithm field 8 over a signature by example.'s algorithm-13 key (RFC 4035 §5.3.1).
        new("12-algorithm-mismatch", Lookup.Tlsa, "Bogus", "tlsa.lookup-failed", t => q =>
            Is(q, t.TlsaOwner, 52) ? Reply(t.ExampleKey.Sign(t.TlsaOwner, 52, [EvilTlsa(t).Rdata], t.Inception, t.Expiration, algorithm: 8)) : null),

        // 13. Off-path spoofing: answers with another ID, or for another question, are never taken.
        //     Replies with a wrong ID are dropped like silence: the lookup, then the run, times out.
        new("13a-mismatched-id", Lookup.Tlsa, "Indeterminate", "run.timeout", t => q =>
            Is(q, t.TlsaOwner, 52) ? Reply(t.Signed(t.TlsaOwner, 52)) with { WrongId = true } : null),
        new("13b-mismatched-question", Lookup.Tlsa, "Indeterminate", "tlsa.lookup-failed", t => q =>
            Is(q, t.TlsaOwner, 52) ? Reply(t.Signed(t.TlsaOwner, 52)) with { QuestionName = "evil.example" } : null),
    ];

    public static int Port(SignedTestTree tree) => int.Parse(tree.TlsaOwner[1..tree.TlsaOwner.IndexOf('.', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);

    private static bool Is(FakeQuery q, string name, ushort type) => SignedTestTree.Normal(q.Name) == name && (ushort)q.Type == type;

    private static FakeReply Reply(FakeRr[] answers) => new(ReturnCode.NoError, false, answers);

    private static FakeReply Deny(SignedTestTree t, ReturnCode rcode, FakeRr[] proof) =>
        new(rcode, false, [], Authority: [.. t.Signed("example", 6), .. proof]);

    private static FakeRr EvilTlsa(SignedTestTree t) => new(t.TlsaOwner, 52, [3, 1, 1, .. SHA256.HashData("attacker key"u8)]);

    private static readonly Dictionary<SignedTestTree, TestKey> Attackers = [];

    private static TestKey Attacker(SignedTestTree t)
    {
        lock (Attackers)
        {
            return Attackers.TryGetValue(t, out var key) ? key : Attackers[t] = TestKey.Create(13, "example");
        }
    }

    private static FakeReply Chase(SignedTestTree t, FakeQuery q, string target)
    {
        var cname = t.ExampleKey.Sign("mx.example", 5, [FakeDnsServer.EncodeName(target)], t.Inception, t.Expiration);
        var chased = t.Genuine(q with { Name = target });
        return chased with { Answers = [.. cname, .. chased.Answers] };
    }

    /// <summary>
    /// An NSEC3 (SHA-1, no salt, no extra iterations, RFC 5155) matching <paramref name="name"/>,
    /// whose next hashed owner is its own hash + 1: it covers nothing else. Signed by the genuine key.
    /// </summary>
    private static FakeRr[] Nsec3(SignedTestTree t, string name, ushort[] types)
    {
#pragma warning disable CA5350 // SHA-1 is NSEC3's hash
        var hash = SHA1.HashData(FakeDnsServer.EncodeName(name));
#pragma warning restore CA5350
        var next = (byte[])hash.Clone();
        next[^1]++;
        var bits = new byte[(types.Max() / 8) + 1];
        foreach (var type in types)
        {
            bits[type / 8] |= (byte)(0x80 >> (type % 8));
        }

        byte[] rdata = [1, 0, 0, 0, 0, 20, .. next, 0, (byte)bits.Length, .. bits];
        return t.ExampleKey.Sign($"{Base32Hex(hash)}.example", 50, [rdata], t.Inception, t.Expiration);
    }

    /// <summary>RFC 4648 §7, lower case, no padding (20 bytes → 32 characters).</summary>
    private static string Base32Hex(byte[] data)
    {
        const string Alphabet = "0123456789abcdefghijklmnopqrstuv";
        var text = new System.Text.StringBuilder();
        for (var bit = 0; bit < data.Length * 8; bit += 5)
        {
            var value = 0;
            for (var i = 0; i < 5; i++)
            {
                var b = bit + i;
                value = (value << 1) | (b < data.Length * 8 ? (data[b / 8] >> (7 - (b % 8))) & 1 : 0);
            }

            text.Append(Alphabet[value]);
        }

        return text.ToString();
    }
}
