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
    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[4096];
    private int _position;
    private int _length;

    public BoundedLineReader(TextReader reader) => _reader = reader;

    /// <summary>Null at end of input.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var line = new StringBuilder();
        var sawAny = false;
        while (true)
        {
            if (_position == _length)
            {
                _length = await _reader.ReadAsync(_buffer.AsMemory(), ct).ConfigureAwait(false);
                _position = 0;
                if (_length == 0)
                {
                    return sawAny ? line.ToString() : null;
                }
            }

            sawAny = true;
            var c = _buffer[_position++];
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
