using System.Text;
using SmtpDane.Model;

namespace SmtpDane.Smtp;

/// <summary>
/// Reads SMTP replies (RFC 5321 §4.2) from a stream, folding "250-…" continuation lines into one
/// <see cref="SmtpReply"/>. Bounded: a line may not exceed <see cref="MaxLineLength"/> bytes
/// including its terminator (§4.5.3.1.5 says 512; servers exceed it, so we allow slack), a reply
/// <see cref="MaxLines"/> lines or <see cref="MaxReplyBytes"/> bytes; past a bound it throws
/// <see cref="SmtpProtocolException"/> instead of buffering more. Bare LF is accepted as a line end.
/// Bytes are decoded as Latin-1, so invalid UTF-8 and controls survive for the renderer to escape.
/// </summary>
/// <remarks>
/// The reader buffers: a read may return bytes beyond the current reply. They stay in the buffer
/// for the next reply and are visible through <see cref="HasBufferedData"/>, so a caller can detect
/// plaintext piggybacked after a STARTTLS 220 (CVE-2011-0411) and never hand it to TLS.
/// </remarks>
public sealed class SmtpReplyReader
{
    public const int DefaultMaxLineLength = 4096;
    public const int DefaultMaxLines = 256;
    public const int DefaultMaxReplyBytes = 64 * 1024;

    /// <summary>Longest reply line quoted in an error message.</summary>
    private const int QuotedLineChars = 60;

    private readonly Stream _stream;
    private readonly SmtpTranscript? _transcript;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;

    public SmtpReplyReader(
        Stream stream,
        SmtpTranscript? transcript = null,
        int maxLineLength = DefaultMaxLineLength,
        int maxLines = DefaultMaxLines,
        int maxReplyBytes = DefaultMaxReplyBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 8);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLines);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReplyBytes, maxLineLength);
        _stream = stream;
        _transcript = transcript;
        MaxLineLength = maxLineLength;
        MaxLines = maxLines;
        MaxReplyBytes = maxReplyBytes;
        _buffer = new byte[maxLineLength];
    }

    public int MaxLineLength { get; }

    public int MaxLines { get; }

    public int MaxReplyBytes { get; }

    /// <summary>True when bytes beyond the last reply were read from the stream and not yet consumed.</summary>
    public bool HasBufferedData => _end > _start;

    /// <summary>How many bytes beyond the last reply are buffered.</summary>
    public int BufferedByteCount => _end - _start;

    /// <summary>Drops buffered bytes (e.g. plaintext after a STARTTLS 220); returns how many.</summary>
    public int DiscardBufferedData()
    {
        var n = _end - _start;
        _start = _end = 0;
        return n;
    }

    /// <summary>Reads one whole reply.</summary>
    /// <exception cref="SmtpProtocolException">Malformed or over-long reply, or the connection closed or failed.</exception>
    public Task<SmtpReply> ReadReplyAsync(CancellationToken ct) => ReadReplyAsync("reply", ct);

    /// <summary>As <see cref="ReadReplyAsync(CancellationToken)"/>; <paramref name="what"/> names the reply in messages.</summary>
    internal async Task<SmtpReply> ReadReplyAsync(string what, CancellationToken ct)
    {
        var lines = new List<string>();
        var code = -1;
        var total = 0;
        while (true)
        {
            var (line, bytes) = await ReadLineAsync(what, ct).ConfigureAwait(false);
            total += bytes;
            if (total > MaxReplyBytes)
            {
                throw new SmtpProtocolException($"{what} longer than {MaxReplyBytes} bytes");
            }

            if (lines.Count >= MaxLines)
            {
                throw new SmtpProtocolException($"{what} longer than {MaxLines} lines");
            }

            var (lineCode, last, text) = ParseLine(line, what);
            if (code >= 0 && lineCode != code)
            {
                // RFC 5321 §4.2.1: every line of a multiline reply carries the same code.
                throw new SmtpProtocolException($"mismatched reply codes {code} and {lineCode} in multi-line {what}");
            }

            code = lineCode;
            lines.Add(text);
            if (last)
            {
                return new SmtpReply(code, lines);
            }
        }
    }

    /// <summary>Reply-line = Reply-code [ ("-" / SP) textstring ] CRLF (RFC 5321 §4.2).</summary>
    private static (int Code, bool Last, string Text) ParseLine(string line, string what)
    {
        // §4.2.1: first digit 2-5 (1yz is unused in SMTP), second 0-5, third 0-9.
        if (line.Length < 3
            || line[0] is < '2' or > '5'
            || line[1] is < '0' or > '5'
            || line[2] is < '0' or > '9')
        {
            throw new SmtpProtocolException($"{what} line does not start with a valid reply code: \"{Quote(line)}\"");
        }

        var code = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
        if (line.Length == 3)
        {
            return (code, true, string.Empty);
        }

        return line[3] switch
        {
            '-' => (code, false, line[4..]),
            ' ' => (code, true, line[4..]),
            _ => throw new SmtpProtocolException($"{what} line has no separator after reply code {code}: \"{Quote(line)}\""),
        };
    }

    private static string Quote(string line) =>
        line.Length <= QuotedLineChars ? line : string.Concat(line.AsSpan(0, QuotedLineChars), "…");

    /// <summary>One line without its CRLF (or bare LF), and the bytes it took on the wire.</summary>
    private async ValueTask<(string Line, int Bytes)> ReadLineAsync(string what, CancellationToken ct)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var lf = pending.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var content = pending[..lf];
                if (content.Length > 0 && content[^1] == (byte)'\r')
                {
                    content = content[..^1];
                }

                var line = Encoding.Latin1.GetString(content);
                _start += lf + 1;
                if (_start == _end)
                {
                    _start = _end = 0;
                }

                _transcript?.Add(SmtpDirection.Server, line);
                return (line, lf + 1);
            }

            if (pending.Length >= MaxLineLength)
            {
                throw new SmtpProtocolException($"{what} line longer than {MaxLineLength} bytes");
            }

            if (_start > 0)
            {
                pending.CopyTo(_buffer);
                _end = pending.Length;
                _start = 0;
            }

            int n;
            try
            {
                n = await _stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
            }
            catch (IOException ex) when (!ct.IsCancellationRequested)
            {
                throw new SmtpProtocolException($"connection failed while reading {what}: {ex.Message}", ex) { ConnectionClosed = true };
            }

            if (n == 0)
            {
                throw new SmtpProtocolException($"connection closed by server while reading {what}") { ConnectionClosed = true };
            }

            _end += n;
        }
    }
}
