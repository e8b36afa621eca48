using System.Text;

namespace SmtpDane.Batch;

/// <summary>
/// Reads lines without ever holding more than <see cref="TargetFileParser.MaxLineLength"/> + 1
/// characters of one line: the rest of an over-long line is skipped, and the line is returned
/// truncated (one character over the cap, so the parser can tell it was too long). A NUL
/// character ends reading with <see cref="InvalidDataException"/>.
/// </summary>
public sealed class BoundedLineReader
{
    private readonly TextReader reader;
    private readonly char[] buffer = new char[4096];
    private int position;
    private int length;

    public BoundedLineReader(TextReader reader) => this.reader = reader;

    /// <summary>Null at end of input.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var line = new StringBuilder();
        var sawAny = false;
        while (true)
        {
            if (position == length)
            {
                length = await reader.ReadAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
                position = 0;
                if (length == 0)
                {
                    return sawAny ? line.ToString() : null;
                }
            }

            sawAny = true;
            var c = buffer[position++];
            if (c == '\0')
            {
                // /dev/zero, or any binary file: no list of targets holds a NUL.
                throw new InvalidDataException("it holds a NUL byte: not a text list of targets");
            }

            if (c == '\n')
            {
                return line.ToString();
            }

            if (c == '\r')
            {
                continue;
            }

            if (line.Length <= TargetFileParser.MaxLineLength)
            {
                line.Append(c);
            }
        }
    }
}
