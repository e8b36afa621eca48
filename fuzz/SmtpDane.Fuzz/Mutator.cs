namespace SmtpDane.Fuzz;

/// <summary>Byte-level mutations (bit flips, random bytes, inserts, deletes, splices, truncation, dictionary tokens), from a seeded PRNG.</summary>
internal sealed class Mutator(Random random, byte[][] dictionary, int maxLength)
{
    private static readonly byte[] Interesting = [0, 1, 0x7f, 0x80, 0xff, (byte)'\r', (byte)'\n', (byte)' ', (byte)'-', (byte)'0', (byte)'9', 0x1b];

    public byte[] Mutate(byte[] parent, IReadOnlyList<byte[]> corpus)
    {
        var data = new List<byte>(parent);
        var count = 1 + random.Next(4);
        for (var i = 0; i < count; i++)
        {
            MutateOnce(data, corpus);
        }

        if (data.Count > maxLength)
        {
            data.RemoveRange(maxLength, data.Count - maxLength);
        }

        return [.. data];
    }

    private void MutateOnce(List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        switch (random.Next(10))
        {
            case 0 when data.Count > 0:
                var bit = random.Next(data.Count * 8);
                data[bit / 8] ^= (byte)(1 << (bit % 8));
                break;
            case 1 when data.Count > 0:
                data[random.Next(data.Count)] = (byte)random.Next(256);
                break;
            case 2 when data.Count > 0:
                data[random.Next(data.Count)] = Interesting[random.Next(Interesting.Length)];
                break;
            case 3:
                var junk = new byte[1 + random.Next(8)];
                random.NextBytes(junk);
                data.InsertRange(random.Next(data.Count + 1), junk);
                break;
            case 4 when data.Count > 0:
                var start = random.Next(data.Count);
                data.RemoveRange(start, random.Next(1, Math.Min(16, data.Count - start) + 1));
                break;
            case 5 when data.Count > 0:
                var keep = random.Next(data.Count);
                data.RemoveRange(keep, data.Count - keep);
                break;
            case 6 when data.Count > 0:
                // Duplicate a range: repeated lines, nested structures.
                var from = random.Next(data.Count);
                var length = random.Next(1, Math.Min(64, data.Count - from) + 1);
                var copy = data.GetRange(from, length);
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    data.InsertRange(random.Next(data.Count + 1), copy);
                }

                break;
            case 7 when corpus.Count > 0:
                // Splice: head of this input, tail of another.
                var other = corpus[random.Next(corpus.Count)];
                var cut = random.Next(data.Count + 1);
                var otherCut = random.Next(other.Length + 1);
                data.RemoveRange(cut, data.Count - cut);
                data.AddRange(other.AsSpan(otherCut).ToArray());
                break;
            case 8 when dictionary.Length > 0:
                data.InsertRange(random.Next(data.Count + 1), dictionary[random.Next(dictionary.Length)]);
                break;
            default:
                if (data.Count > 0)
                {
                    var at = random.Next(data.Count);
                    data[at] = (byte)(data[at] + random.Next(-3, 4));
                }
                else
                {
                    data.Add((byte)random.Next(256));
                }

                break;
        }
    }
}
