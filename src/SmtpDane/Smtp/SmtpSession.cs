using System.Text;
using SmtpDane.Model;

namespace SmtpDane.Smtp;

/// <summary>
/// The plaintext SMTP steps of a DANE probe over a stream the caller opened and owns: greeting,
/// EHLO, STARTTLS, QUIT (RFC 5321 §3.1, §4.1.1; RFC 3207). After TLS, build a new session over the
/// TLS stream for the second EHLO. Each step runs under its own deadline,
/// <see cref="StepTimeout"/>, covering the whole step (send and every read), so a server that
/// drips bytes cannot stall it; the deadline firing throws <see cref="TimeoutException"/> ("timeout
/// while reading server greeting"), the caller's token throws <see cref="OperationCanceledException"/>.
/// A refusal throws <see cref="SmtpCommandException"/>, a broken protocol
/// <see cref="SmtpProtocolException"/>. Not thread-safe.
/// </summary>
public sealed class SmtpSession
{
    private readonly Stream _stream;
    private readonly SmtpReplyReader _reader;
    private readonly TimeProvider _timeProvider;
    private bool _tlsStarted;

    public SmtpSession(Stream stream, TimeSpan stepTimeout, SmtpTranscript? transcript = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stepTimeout <= TimeSpan.Zero && stepTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(stepTimeout), stepTimeout, "step timeout must be positive");
        }

        _stream = stream;
        StepTimeout = stepTimeout;
        Transcript = transcript ?? new SmtpTranscript();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _reader = new SmtpReplyReader(stream, Transcript);
    }

    public TimeSpan StepTimeout { get; }

    /// <summary>Every line sent and received, bounded (for -debug).</summary>
    public SmtpTranscript Transcript { get; }

    /// <summary>Reads the 220 greeting (RFC 5321 §4.3.1). Other codes throw <see cref="SmtpCommandException"/> (Command null).</summary>
    public async Task<SmtpReply> ReadGreetingAsync(CancellationToken ct)
    {
        EnsurePlaintext();
        var reply = await StepAsync(null, "server greeting", ct).ConfigureAwait(false);
        return reply.Code == 220 ? reply : throw new SmtpCommandException(null, reply);
    }

    /// <summary>
    /// Sends EHLO and parses the extensions. Anything but 250 throws <see cref="SmtpCommandException"/>:
    /// no HELO fallback, since STARTTLS needs ESMTP.
    /// </summary>
    /// <param name="helo">Our name: a domain or address literal, printable ASCII without spaces.</param>
    public async Task<EhloResult> EhloAsync(string helo, CancellationToken ct)
    {
        ValidateHelo(helo);
        EnsurePlaintext();
        var reply = await StepAsync($"EHLO {helo}", "reply to EHLO", ct).ConfigureAwait(false);
        if (reply.Code != 250)
        {
            throw new SmtpCommandException("EHLO", reply);
        }

        var extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in reply.Lines.Skip(1))
        {
            var keyword = line.AsSpan().Trim();
            var space = keyword.IndexOf(' ');
            keyword = space >= 0 ? keyword[..space] : keyword;
            if (!keyword.IsEmpty)
            {
                extensions.Add(keyword.ToString().ToUpperInvariant());
            }
        }

        return new EhloResult(reply, extensions);
    }

    /// <summary>
    /// Sends STARTTLS and requires 220 (RFC 3207 §4), else <see cref="SmtpCommandException"/>. Bytes
    /// the server sent after the 220 are discarded and counted, as posttls-finger does: they must
    /// not reach TLS, and the caller's TLS stream reads the socket directly, not this reader.
    /// The session is finished afterwards; hand the stream to TLS.
    /// </summary>
    public async Task<StartTlsResult> StartTlsAsync(CancellationToken ct)
    {
        EnsurePlaintext();
        var reply = await StepAsync("STARTTLS", "reply to STARTTLS", ct).ConfigureAwait(false);
        if (reply.Code != 220)
        {
            throw new SmtpCommandException("STARTTLS", reply);
        }

        _tlsStarted = true;
        return new StartTlsResult(reply, _reader.DiscardBufferedData());
    }

    /// <summary>
    /// Sends QUIT and waits for the reply within the step timeout (RFC 5321 §4.1.1.10). Best effort:
    /// only the caller's cancellation escapes; a dead or silent peer is ignored. No-op after STARTTLS.
    /// </summary>
    public async Task QuitAsync(CancellationToken ct)
    {
        if (_tlsStarted)
        {
            return;
        }

        try
        {
            await StepAsync("QUIT", "reply to QUIT", ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Best effort: the probe's outcome is already known.
        }
    }

    /// <summary>Sends <paramref name="command"/> (if any) and reads one reply, all under one deadline.</summary>
    private async Task<SmtpReply> StepAsync(string? command, string what, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(StepTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var phase = command is null ? $"reading {what}" : $"sending {Verb(command)}";
        try
        {
            if (command is not null)
            {
                Transcript.Add(SmtpDirection.Client, command);
                var bytes = Encoding.ASCII.GetBytes(command + "\r\n");
                await _stream.WriteAsync(bytes, linked.Token).ConfigureAwait(false);
                await _stream.FlushAsync(linked.Token).ConfigureAwait(false);
                phase = $"reading {what}";
            }

            return await _reader.ReadReplyAsync(what, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when ((ex is OperationCanceledException or IOException or ObjectDisposedException)
                                   && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException($"cancelled while {phase}", ex, ct);
        }
        catch (Exception ex) when ((ex is OperationCanceledException or IOException or ObjectDisposedException)
                                   && deadline.IsCancellationRequested)
        {
            // Some streams fail a cancelled read with IOException; the deadline is still the cause.
            throw new TimeoutException($"timeout while {phase}", ex);
        }
        catch (IOException ex)
        {
            throw new SmtpProtocolException($"connection failed while {phase}: {ex.Message}", ex) { ConnectionClosed = true };
        }
    }

    private static string Verb(string command)
    {
        var space = command.IndexOf(' ');
        return space >= 0 ? command[..space] : command;
    }

    /// <summary>RFC 5321 §4.1.1.1: EHLO takes a domain or address literal; no controls, spaces or CR/LF (command injection).</summary>
    private static void ValidateHelo(string helo)
    {
        ArgumentException.ThrowIfNullOrEmpty(helo);
        if (helo.Length > 255)
        {
            throw new ArgumentException("EHLO name longer than 255 characters", nameof(helo));
        }

        foreach (var c in helo)
        {
            if (c is <= ' ' or > '~')
            {
                throw new ArgumentException("EHLO name must be printable ASCII without spaces", nameof(helo));
            }
        }
    }

    private void EnsurePlaintext()
    {
        if (_tlsStarted)
        {
            throw new InvalidOperationException("STARTTLS succeeded: continue with a new session over the TLS stream");
        }
    }
}
