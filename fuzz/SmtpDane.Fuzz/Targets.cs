using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SmtpDane.Certificates;
using SmtpDane.Cli;
using SmtpDane.Dane;
using SmtpDane.Dns;
using SmtpDane.Model;
using SmtpDane.Net;
using SmtpDane.Reporting;
using SmtpDane.Smtp;
using SmtpDane.Targets;

namespace SmtpDane.Fuzz;

/// <summary>
/// The fuzz targets: parsers of data a peer or a user controls. Each states which exceptions the
/// code documents and which properties must hold; anything else is a failure.
/// </summary>
internal static class Targets
{
    private static readonly ServiceTable Services = ServiceTable.FromText("smtp 25/tcp mail\nsubmission 587/tcp\nsubmissions 465/tcp smtps\n");

    private static readonly Lazy<byte[]> Certificate = new(CreateCertificate);

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("smtp-reply", SmtpReplyAsync, e => e is SmtpProtocolException, Tokens("\r\n", "\n", "250-", "250 ", "220-", "220 ", "554 ", "5", "-", " ")),
        new("smtp-session", SmtpSessionAsync, e => e is SmtpProtocolException or SmtpCommandException, Tokens("\r\n", "220 x\r\n", "250-STARTTLS\r\n", "250 STARTTLS\r\n", "250-", "454 ", "220 go\r\n")),
        new("socks5", Socks5Async, e => e is ConnectException, Tokens("\u0005\u0000", "\u0005\u0002", "\u0001\u0000", "\u0005\u0000\u0000\u0001", "\u0005\u0000\u0000\u0003", "\u0005\u0000\u0000\u0004", "\u00ff")),
        new("tlsa", TlsaAsync, _ => false, Tokens("\u0003\u0001\u0001", "\u0002\u0000\u0002", "\u0000", "\u00ff")),
        new("cert", CertAsync, e => e is CertificateParseException, Tokens("\u0030\u0082", "\u0030\u0081", "\u0006\u0003\u0055\u001d\u0011", "\u0017\u000d"), MaxInputLength: 8192),
        new("args", ArgsAsync, _ => false, Tokens("\n", "-mx\n", "-srv\n", "-port\n", ":", "[", "]", "::1", "(25)", "smtp", "-timeout=", "--", "-4\n", "-nagios\n", "-json\n", "-proxy-tcp\nsocks5://")),
        new("duration", DurationAsync, _ => false, Tokens("h", "m", "s", "ms", "us", "\u00b5s", "ns", ".", "-", "+", "9223372036854775807", "0.000000001")),
        new("resolvers", ResolversAsync, e => e is ResolverConfigException, Tokens(",", " ", "[", "]", ":", "::", "53", "nameserver ", "\n", "#", "%eth0", "65535")),
        new("hostile-text", HostileTextAsync, _ => false, Tokens("\u001b[", "\u009b", "\r\n", "|", "\"", "\\", "\u0000", "\u202e", "\ud800")),
    ];

    private static byte[][] Tokens(params string[] tokens) => [.. tokens.Select(t => Encoding.Latin1.GetBytes(t))];

    private static string Text(byte[] input) => Encoding.UTF8.GetString(input);

    /// <summary>Replies read whole and per byte must agree; every code is a valid reply code; bounds hold.</summary>
    private static async Task SmtpReplyAsync(byte[] input)
    {
        var whole = await ReadAllRepliesAsync(input, input.Length + 1);
        var perByte = await ReadAllRepliesAsync(input, 1);
        PropertyException.Check(whole == perByte, $"whole and per-byte reads differ: {whole} vs {perByte}");
        if (whole.StartsWith('!'))
        {
            throw new SmtpProtocolException(whole[1..]);
        }
    }

    private static async Task<string> ReadAllRepliesAsync(byte[] input, int chunk)
    {
        var reader = new SmtpReplyReader(new PeerStream(input, chunk), null, maxLineLength: 64, maxLines: 8, maxReplyBytes: 256);
        var summary = new StringBuilder();
        try
        {
            while (true)
            {
                var reply = await reader.ReadReplyAsync(CancellationToken.None);
                PropertyException.Check(reply.Code is >= 200 and <= 559, $"reply code {reply.Code} out of range");
                PropertyException.Check(reply.Lines.Count is >= 1 and <= 8, $"{reply.Lines.Count} lines");
                PropertyException.Check(reply.Lines.All(l => l.Length <= 64), "line over the limit");
                summary.Append(reply.Code).Append(':').AppendJoin('|', reply.Lines).Append(';');
            }
        }
        catch (SmtpProtocolException e) when (e.ConnectionClosed)
        {
            return summary.Append("closed").ToString();
        }
        catch (SmtpProtocolException e)
        {
            return "!" + e.Message;
        }
    }

    /// <summary>Greeting, EHLO, STARTTLS against a scripted peer (whole and per byte).</summary>
    private static async Task SmtpSessionAsync(byte[] input)
    {
        foreach (var chunk in new[] { input.Length + 1, 1 })
        {
            var session = new SmtpSession(new PeerStream(input, chunk), TimeSpan.FromSeconds(5));
            var greeting = await session.ReadGreetingAsync(CancellationToken.None);
            PropertyException.Check(greeting.Code == 220, $"greeting {greeting.Code} accepted");
            var ehlo = await session.EhloAsync("fuzz.invalid", CancellationToken.None);
            PropertyException.Check(ehlo.Reply.Code == 250, $"EHLO {ehlo.Reply.Code} accepted");
            PropertyException.Check(ehlo.Extensions.All(x => x.Length > 0 && !x.Contains(' ', StringComparison.Ordinal)), "empty or spaced extension keyword");
            if (!ehlo.SupportsStartTls)
            {
                continue;
            }

            var started = await session.StartTlsAsync(CancellationToken.None);
            PropertyException.Check(started.Reply.Code == 220, $"STARTTLS {started.Reply.Code} accepted");
            PropertyException.Check(started.DiscardedPlaintextBytes >= 0, "negative discarded byte count");
        }
    }

    /// <summary>SOCKS5 negotiation against a scripted proxy, without and with RFC 1929 authentication.</summary>
    private static async Task Socks5Async(byte[] input)
    {
        foreach (var proxy in new[] { "socks5://127.0.0.1:1080", "socks5://user:secret@127.0.0.1:1080" })
        {
            var stream = new PeerStream(input, 1 + (input.Length % 5));
            var connector = new Socks5Connector(new Uri(proxy), TimeSpan.FromSeconds(5), new StreamConnector(stream));
            try
            {
                var result = await connector.ConnectAsync(IPAddress.Parse("192.0.2.25"), 25, CancellationToken.None);
                PropertyException.Check(ReferenceEquals(result, stream), "a different stream came back");
            }
            catch (ConnectException e)
            {
                PropertyException.Check(e.Message.Length > 0 && !e.Message.Contains("secret", StringComparison.Ordinal), "empty message or password in message");
                PropertyException.Check(e.Message.Contains("SOCKS5 proxy 127.0.0.1:1080", StringComparison.Ordinal), $"message names no proxy: {e.Message}");
            }
        }

        await Task.CompletedTask;
    }

    /// <summary>Random TLSA records: usability and matching never throw and agree with each other.</summary>
    private static Task TlsaAsync(byte[] input)
    {
        if (input.Length < 3)
        {
            return Task.CompletedTask;
        }

        var record = new TlsaRecord(input[0], input[1], input[2], input[3..]);
        var reason = TlsaUsability.UnusableReason(record);
        var text = record.ToString();
        PropertyException.Check(text.StartsWith($"{input[0]} {input[1]} {input[2]} ", StringComparison.Ordinal) || input.Length == 3, $"record text \"{text}\"");
        PropertyException.Check(text.Length <= 200, $"record text of {text.Length} chars");
        var copy = record with { Data = [.. record.Data] };
        PropertyException.Check(record.Equals(copy) && record.GetHashCode() == copy.GetHashCode(), "equal records differ");
        var matches = TlsaMatcher.Matches(record, Certificate.Value);
        if (reason is null)
        {
            PropertyException.Check(input[0] is 2 or 3 && input[1] <= 1 && input[2] <= 2 && record.Data.Length > 0, $"usable but odd: {text}");
        }

        if (matches)
        {
            PropertyException.Check(input[1] <= 1 && input[2] <= 2, $"unknown selector/matching type matched: {text}");
        }

        // The right data for this selector and matching type must match.
        if (input[1] <= 1 && input[2] <= 2)
        {
            var data = TlsaMatcher.AssociationData(Certificate.Value, input[1], input[2]);
            PropertyException.Check(TlsaMatcher.Matches(record with { Data = data }, Certificate.Value), "own association data does not match");
        }

        return Task.CompletedTask;
    }

    /// <summary>Hostile certificate DER: parse errors are <see cref="CertificateParseException"/>, nothing else.</summary>
    private static Task CertAsync(byte[] input)
    {
        _ = TlsaMatcher.AssociationData(input, 0, 1);
        _ = TlsaMatcher.AssociationData(input, 1, 2);
        var facts = CertificateFacts.Parse(input);
        PropertyException.Check(facts.SpkiSha256.Length == 32, "SPKI digest length");
        return Task.CompletedTask;
    }

    /// <summary>Lines are arguments. The parser never throws; errors say something; ports are valid.</summary>
    private static Task ArgsAsync(byte[] input)
    {
        var args = Text(input).Split('\n');
        var result = ArgumentParser.Parse(args, new Dictionary<string, string?>(), false, Services);
        switch (result.Outcome)
        {
            case ParseOutcome.Error:
                PropertyException.Check(!string.IsNullOrWhiteSpace(result.Error), "error without a message");
                PropertyException.Check(result.ExitCode is 1 or 2 or 3, $"error exit code {result.ExitCode}");
                break;
            case ParseOutcome.Run:
                PropertyException.Check(result.Options is not null, "run without options");
                foreach (var t in result.Options!.Targets)
                {
                    PropertyException.Check(t.Port is null or (>= 1 and <= 65535), $"port {t.Port}");
                    PropertyException.Check(t.Name.Length > 0, "empty target name");
                }

                break;
        }

        return Task.CompletedTask;
    }

    /// <summary>GoDuration never throws, says why it refused, and Format re-parses to the same value.</summary>
    private static Task DurationAsync(byte[] input)
    {
        var text = Text(input);
        if (GoDuration.TryParse(text, out var value, out var error))
        {
            var formatted = GoDuration.Format(value);
            PropertyException.Check(GoDuration.TryParse(formatted, out var again, out _), $"\"{formatted}\" (from \"{text}\") does not re-parse");
            PropertyException.Check(again == value, $"\"{text}\" -> {value.Ticks} ticks -> \"{formatted}\" -> {again.Ticks} ticks");
        }
        else
        {
            PropertyException.Check(!string.IsNullOrEmpty(error), $"refused \"{text}\" without a reason");
        }

        if (GoDuration.TryParseNanoseconds(text, out var ns, out _))
        {
            var formatted = GoDuration.FormatNanoseconds(ns);
            PropertyException.Check(GoDuration.TryParseNanoseconds(formatted, out var again, out _) && again == ns, $"{ns}ns -> \"{formatted}\" does not round-trip");
        }

        return Task.CompletedTask;
    }

    /// <summary>DNS_RESOLVER and resolv.conf text: config errors only; at most MaxEndpoints, valid ports.</summary>
    private static Task ResolversAsync(byte[] input)
    {
        var text = Text(input);
        Check(() => ResolverEndpoints.Parse(text));
        Check(() => ResolverEndpoints.ParseResolvConf(text));
        return Task.CompletedTask;

        static void Check(Func<IReadOnlyList<IPEndPoint>> parse)
        {
            var endpoints = parse();
            PropertyException.Check(endpoints.Count is >= 1 and <= ResolverEndpoints.MaxEndpoints, $"{endpoints.Count} endpoints");
            PropertyException.Check(endpoints.All(e => e.Port is >= 1 and <= 65535), "port out of range");
        }
    }

    /// <summary>Escaped text has no control characters, no Nagios separator, and a bounded length.</summary>
    private static Task HostileTextAsync(byte[] input)
    {
        var text = Text(input);
        PropertyException.Check(!HostileText.ForJson(text).EnumerateRunes().Any(r => r == Rune.ReplacementChar) || text.Contains('\uFFFD', StringComparison.Ordinal), "json: replacement character from valid text");
        foreach (var (name, escaped) in new[] { ("terminal", HostileText.ForTerminal(text, 100)), ("nagios", HostileText.ForNagios(text, 100)) })
        {
            PropertyException.Check(!escaped.Any(Unsafe), $"{name}: control or format character left in \"{escaped}\"");
            PropertyException.Check(escaped.Length <= 100, $"{name}: {escaped.Length} chars, documented at most 100");
            PropertyException.Check(name != "nagios" || !escaped.Contains('|', StringComparison.Ordinal), "nagios: '|' left");
        }

        var quoted = HostileText.Quote(text, 100);
        PropertyException.Check(!quoted.Any(Unsafe), $"quote: control or format character left in {quoted}");
        return Task.CompletedTask;

        static bool Unsafe(char c) =>
            char.IsControl(c) || c is '\u2028' or '\u2029'
            || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format;
    }

    private static byte[] CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fuzz.invalid", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        return cert.RawData;
    }
}
