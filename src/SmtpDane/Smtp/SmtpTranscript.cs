using SmtpDane.Model;

namespace SmtpDane.Smtp;

/// <summary>
/// The lines of an SMTP conversation for -debug, bounded: after <see cref="MaxEntries"/> lines or
/// <see cref="MaxChars"/> chars further lines are dropped and <see cref="IsTruncated"/> is set.
/// Not thread-safe: one session appends at a time.
/// </summary>
public sealed class SmtpTranscript
{
    private readonly List<SmtpTranscriptEntry> _entries = [];
    private int _chars;

    public SmtpTranscript(int maxEntries = 512, int maxChars = 64 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        MaxEntries = maxEntries;
        MaxChars = maxChars;
    }

    public int MaxEntries { get; }

    public int MaxChars { get; }

    public IReadOnlyList<SmtpTranscriptEntry> Entries => _entries;

    /// <summary>True when lines were dropped because a bound was reached.</summary>
    public bool IsTruncated { get; private set; }

    public void Add(SmtpDirection direction, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (IsTruncated || _entries.Count >= MaxEntries || _chars + line.Length > MaxChars)
        {
            IsTruncated = true;
            return;
        }

        _chars += line.Length;
        _entries.Add(new SmtpTranscriptEntry(direction, line));
    }
}
