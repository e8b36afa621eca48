namespace SmtpDane.Smtp;

/// <summary>
/// One SMTP reply (RFC 5321 §4.2): a three-digit code and the text of each line, without the
/// code, the separator ("-" or " ") and the line terminator. Text is kept raw (Latin-1 decoded,
/// so every byte survives as one char); escaping is the renderer's job.
/// </summary>
public sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>2yz: positive completion (RFC 5321 §4.2.1).</summary>
    public bool IsPositiveCompletion => Code is >= 200 and < 300;

    /// <summary>3yz: positive intermediate.</summary>
    public bool IsPositiveIntermediate => Code is >= 300 and < 400;

    /// <summary>2yz or 3yz.</summary>
    public bool IsPositive => Code is >= 200 and < 400;

    /// <summary>4yz: transient negative completion; the server may accept a retry.</summary>
    public bool IsTransientNegative => Code is >= 400 and < 500;

    /// <summary>5yz: permanent negative completion.</summary>
    public bool IsPermanentNegative => Code is >= 500 and < 600;

    /// <summary>All lines joined by a space.</summary>
    public string Text => string.Join(' ', Lines);

    /// <summary>"454 4.7.0 TLS not available"; multi-line text is joined by spaces.</summary>
    public override string ToString() => Text.Length == 0 ? Code.ToString() : $"{Code} {Text}";

    /// <summary><see cref="ToString"/> capped at <paramref name="maxChars"/> chars (for messages).</summary>
    public string ToString(int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 4);
        var s = ToString();
        return s.Length <= maxChars ? s : string.Concat(s.AsSpan(0, maxChars - 1), "…");
    }

    /// <summary>The reply as the server sent it, one wire line per element (without CRLF).</summary>
    public IEnumerable<string> ToWireLines()
    {
        for (var i = 0; i < Lines.Count; i++)
        {
            var last = i == Lines.Count - 1;
            yield return last && Lines[i].Length == 0 ? Code.ToString() : $"{Code}{(last ? ' ' : '-')}{Lines[i]}";
        }
    }
}
