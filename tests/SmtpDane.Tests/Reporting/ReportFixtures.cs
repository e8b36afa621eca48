using System.Net;
using System.Security.Cryptography;
using SmtpDane.Certificates;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Tests.Reporting;

/// <summary>Hand-built result trees with fixed times, durations and (deterministic) certificates.</summary>
internal static class ReportFixtures
{
    public static readonly DateTimeOffset Started = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly DateTime IssuedAt = new(2025, 5, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly Lazy<TestCertificate> Ca = new(() => TestCertificates.Issue(
        "Example Test CA", [], new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc), 1, seed: 1, isCa: true));

    public static RunResult Get(string scenario) => scenario switch
    {
        "verified" => Verified(),
        "warning" => Warning(),
        "failing" => Failing(),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null),
    };

    /// <summary>example.org: 2 MX hosts, 3 addresses, all verified (one via DANE-TA, with a known-CA label).</summary>
    public static RunResult Verified()
    {
        var mx1 = Leaf("mx1.example.org", ["mx1.example.org", "mail.example.org"], new DateTime(2025, 8, 30, 0, 0, 0, DateTimeKind.Utc), 0x1001, seed: 11);
        var mx2 = Leaf("mx2.example.org", ["mx2.example.org"], new DateTime(2025, 8, 30, 0, 0, 0, DateTimeKind.Utc), 0x1002, seed: 12);
        var ee1 = Tlsa311(mx1);
        var ta = new TlsaRecord(2, 0, 1, SHA256.HashData(Ca.Value.Der));
        var ee2 = Tlsa311(mx2);

        var host1 = new HostResult(
            "mx1.example.org", 25, 10, false,
            [
                Finding.Info(FindingCodes.AddressFound, "\"mx1.example.org\" has 2 addresses (DNSSEC secure): 192.0.2.10, 2001:db8::10"),
                Finding.Success(FindingCodes.TlsaFound, "2 usable TLSA records at _25._tcp.mx1.example.org (DNSSEC secure)"),
                Finding.Info(FindingCodes.TlsaKnownCa, $"TLSA {ta} names the CA \"Example Test CA\"", new Dictionary<string, string> { ["tlsa"] = ta.ToString(), ["ca"] = "Example Test CA" }),
            ],
            "mx1.example.org",
            [ee1, ta],
            [
                VerifiedAddress("mx1.example.org", IPAddress.Parse("192.0.2.10"), mx1, ee1, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(12), null),
                VerifiedAddress("mx1.example.org", IPAddress.Parse("2001:db8::10"), mx1, ee1, TimeSpan.FromMilliseconds(310), TimeSpan.FromMilliseconds(15), null),
            ]);
        var host2 = new HostResult(
            "mx2.example.org", 25, 20, false,
            [
                Finding.Info(FindingCodes.AddressFound, "\"mx2.example.org\" has 1 address (DNSSEC secure): 192.0.2.20"),
                Finding.Success(FindingCodes.TlsaFound, "1 usable TLSA record at _25._tcp.mx2.example.org (DNSSEC secure)"),
            ],
            "mx2.example.org",
            [ee2],
            [VerifiedAddress("mx2.example.org", IPAddress.Parse("192.0.2.20"), mx2, ee2, TimeSpan.FromMilliseconds(280), TimeSpan.FromMilliseconds(21), [0x30, 0x03, 0x0a, 0x01, 0x00])]);

        var target = new TargetResult(
            new Target("example.org", TargetMode.Mx, "example.org", null),
            [Finding.Info(FindingCodes.MxFound, "MX records for \"example.org\" (DNSSEC secure): 10 mx1.example.org, 20 mx2.example.org")],
            [host1, host2]);
        return new RunResult([target], [], Started, TimeSpan.FromMilliseconds(420));
    }

    /// <summary>warn.example: verified, but the certificate expires in 3 days.</summary>
    public static RunResult Warning()
    {
        var cert = Leaf("mx.warn.example", ["mx.warn.example"], new DateTime(2025, 6, 4, 12, 0, 0, DateTimeKind.Utc), 0x2001, seed: 21);
        var ee = Tlsa311(cert);
        var address = VerifiedAddress("mx.warn.example", IPAddress.Parse("198.51.100.7"), cert, ee, TimeSpan.FromMilliseconds(190), TimeSpan.FromMilliseconds(9), null);
        address = address with
        {
            Findings =
            [
                .. address.Findings,
                Finding.Warning(FindingCodes.CertExpiring, "certificate \"mx.warn.example\" expires in 3 days (2025-06-04T12:00:00Z); renew it, publishing its TLSA record first"),
            ],
        };
        var host = new HostResult(
            "mx.warn.example", 25, 10, false,
            [
                Finding.Info(FindingCodes.AddressFound, "\"mx.warn.example\" has 1 address (DNSSEC secure): 198.51.100.7"),
                Finding.Success(FindingCodes.TlsaFound, "1 usable TLSA record at _25._tcp.mx.warn.example (DNSSEC secure)"),
            ],
            "mx.warn.example",
            [ee],
            [address]);
        var target = new TargetResult(
            new Target("warn.example", TargetMode.Mx, "warn.example", null),
            [Finding.Info(FindingCodes.MxFound, "MX records for \"warn.example\" (DNSSEC secure): 10 mx.warn.example")],
            [host]);
        return new RunResult([target], [], Started, TimeSpan.FromMilliseconds(230));
    }

    /// <summary>fail.example: one address presents a certificate no TLSA record matches, the other times out.</summary>
    public static RunResult Failing()
    {
        var cert = Leaf("mx.fail.example", ["mx.fail.example"], new DateTime(2025, 9, 1, 0, 0, 0, DateTimeKind.Utc), 0x3001, seed: 31);
        var stale = new TlsaRecord(3, 1, 1, SHA256.HashData("stale key"u8));
        var spki = Convert.ToHexStringLower(CertificateFacts.Parse(cert.Der).SpkiSha256);
        var mismatched = new AddressResult(
            IPAddress.Parse("203.0.113.5"), 25,
            [
                Finding.Info(FindingCodes.SmtpBanner, "banner: 220 mx.fail.example ESMTP"),
                Finding.Success(FindingCodes.TlsEstablished, "TLS TLSv1.2 established with TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
                Finding.Error(FindingCodes.DaneNoMatch, $"no TLSA record for \"mx.fail.example\" port 25 matches its certificate; publish 3 1 1 {spki} or fix the chain"),
                Finding.Error(FindingCodes.DaneNotVerified, "DANE verification failed for mx.fail.example[203.0.113.5]:25"),
            ],
            new TlsSummary("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", [cert.Der, Ca.Value.Der], null, TimeSpan.FromMilliseconds(33)),
            TimeSpan.FromMilliseconds(160),
            Transcript("mx.fail.example", tls: true));
        var timedOut = new AddressResult(
            IPAddress.Parse("2001:db8:bad::5"), 25,
            [Finding.Error(FindingCodes.ConnectTimeout, "connecting to [2001:db8:bad::5]:25 timed out after 10s")],
            null,
            TimeSpan.FromSeconds(10));
        var host = new HostResult(
            "mx.fail.example", 25, 5, false,
            [
                Finding.Info(FindingCodes.AddressFound, "\"mx.fail.example\" has 2 addresses (DNSSEC secure): 203.0.113.5, 2001:db8:bad::5"),
                Finding.Success(FindingCodes.TlsaFound, "1 usable TLSA record at _25._tcp.mx.fail.example (DNSSEC secure)"),
            ],
            "mx.fail.example",
            [stale],
            [mismatched, timedOut]);
        var target = new TargetResult(
            new Target("fail.example", TargetMode.Mx, "fail.example", null),
            [Finding.Info(FindingCodes.MxFound, "MX records for \"fail.example\" (DNSSEC secure): 5 mx.fail.example")],
            [host]);
        return new RunResult([target], [], Started, TimeSpan.FromSeconds(10.02));
    }

    /// <summary>Hostile strings everywhere: banner, host name, CN, finding data.</summary>
    public static RunResult Malicious()
    {
        const string evil = "\u001b[2J\u001b]0;pwned\u0007 a|b\r\nX-Fake: 1\0\u202eRTL\u009b31m\ud800end";
        var cert = Leaf("cn\u001b[31m|evil\u202e", ["ok.example", "bad\u001b[0m|name"], new DateTime(2025, 8, 1, 0, 0, 0, DateTimeKind.Utc), 0x6661, seed: 66);
        var ee = Tlsa311(cert);
        var address = new AddressResult(
            IPAddress.Parse("192.0.2.66"), 25,
            [
                Finding.Info(FindingCodes.SmtpBanner, "banner: 220 " + evil, new Dictionary<string, string> { ["banner"] = evil, ["k|\u001b"] = "v" }),
                Finding.Error(FindingCodes.DaneNameMismatch, "certificate name \"cn\u001b[31m|evil\" does not match \"evil\u001b[0m.example\""),
                Finding.Error(FindingCodes.DaneNotVerified, "DANE verification failed | " + evil),
            ],
            new TlsSummary("TLSv1.3\u001b[0m", "TLS_AES_128_GCM_SHA256|x", [cert.Der, [0x30, 0x82, 0x01]], null, TimeSpan.FromMilliseconds(5)),
            TimeSpan.FromMilliseconds(40),
            [new(SmtpDirection.Server, "220 " + evil), new(SmtpDirection.Client, "EHLO smtpdane.invalid"), new(SmtpDirection.Server, "250 \u001b]8;;http://x\u0007")],
            TranscriptTruncated: true);
        var host = new HostResult("evil\u001b[0m|.example", 25, 1, false, [Finding.Warning(FindingCodes.MxCname, "MX \"evil\u001b[0m|.example\" is a CNAME\r\nOK")], "evil.example", [ee], [address]);
        var target = new TargetResult(new Target("evil.example", TargetMode.Mx, "evil.example", null), [], [host]);
        return new RunResult([target], [Finding.Warning(FindingCodes.RunTimeout, "run|timeout\u001b[5m")], Started, TimeSpan.FromMilliseconds(50));
    }

    public static AddressResult VerifiedAddress(string host, IPAddress ip, TestCertificate leaf, TlsaRecord ee, TimeSpan duration, TimeSpan handshake, byte[]? staple)
    {
        var findings = new List<Finding>
        {
            Finding.Info(FindingCodes.SmtpBanner, $"banner: 220 {host} ESMTP Postfix"),
            Finding.Success(FindingCodes.TlsEstablished, "TLS TLSv1.3 established with TLS_AES_256_GCM_SHA384"),
            Finding.Success(FindingCodes.DaneEeMatch, $"TLSA {ee} matches the certificate's public key"),
            staple is null
                ? Finding.Info(FindingCodes.OcspMissing, "no OCSP staple")
                : Finding.Success(FindingCodes.OcspGood, "OCSP staple: good", new Dictionary<string, string>
                {
                    ["producedAt"] = "2025-06-01T06:00:00Z",
                    ["thisUpdate"] = "2025-06-01T06:00:00Z",
                    ["nextUpdate"] = "2025-06-08T06:00:00Z",
                }),
            Finding.Success(FindingCodes.DaneVerified, $"DANE verified for {host}[{ip}]:25"),
        };
        return new AddressResult(
            ip, 25, findings,
            new TlsSummary("TLSv1.3", "TLS_AES_256_GCM_SHA384", [leaf.Der, Ca.Value.Der], staple, handshake),
            duration,
            Transcript(host, tls: true));
    }

    /// <summary>A STARTTLS dialogue as the prober records it (plaintext, then after TLS).</summary>
    public static IReadOnlyList<SmtpTranscriptEntry> Transcript(string host, bool tls)
    {
        var lines = new List<SmtpTranscriptEntry>
        {
            new(SmtpDirection.Server, $"220 {host} ESMTP Postfix"),
            new(SmtpDirection.Client, "EHLO smtpdane.invalid"),
            new(SmtpDirection.Server, $"250-{host}"),
            new(SmtpDirection.Server, "250 STARTTLS"),
            new(SmtpDirection.Client, "STARTTLS"),
            new(SmtpDirection.Server, "220 2.0.0 Ready to start TLS"),
        };
        if (tls)
        {
            lines.Add(new(SmtpDirection.Client, "EHLO smtpdane.invalid"));
            lines.Add(new(SmtpDirection.Server, $"250 {host}"));
            lines.Add(new(SmtpDirection.Client, "QUIT"));
            lines.Add(new(SmtpDirection.Server, "221 2.0.0 Bye"));
        }

        return lines;
    }

    private static TestCertificate Leaf(string cn, IReadOnlyList<string> names, DateTime notAfter, long serial, int seed) =>
        TestCertificates.Issue(cn, names, IssuedAt, notAfter, serial, seed, Ca.Value);

    private static TlsaRecord Tlsa311(TestCertificate cert) =>
        new(3, 1, 1, CertificateFacts.Parse(cert.Der).SpkiSha256);
}
