using System.Globalization;
using System.Text;

namespace SmtpDane.Batch;

/// <summary>
/// -shard K/N: this run takes only the lines whose stable hash falls in shard K (1-based) of N.
/// The hash is 64-bit FNV-1a over the UTF-8 bytes of the normalized line, so every machine and
/// every run puts a line in the same shard (string.GetHashCode is randomized per process).
/// </summary>
public sealed record ShardSpec(int Index, int Count)
{
    public const int MaxCount = 1_000_000;

    public static ShardSpec All { get; } = new(1, 1);

    public bool Contains(string normalizedLine) =>
        Count == 1 || (int)(Fnv1a64(normalizedLine) % (ulong)Count) == Index - 1;

    public override string ToString() => $"{Index.ToString(CultureInfo.InvariantCulture)}/{Count.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string text, out ShardSpec shard, out string error)
    {
        shard = All;
        error = string.Empty;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0
            || !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            error = "expected K/N, e.g. 2/8";
            return false;
        }

        if (n < 1 || n > MaxCount || k < 1 || k > n)
        {
            error = $"K must be 1..N and N 1..{MaxCount}";
            return false;
        }

        shard = new ShardSpec(k, n);
        return true;
    }

    /// <summary>FNV-1a, 64 bits (offset basis 14695981039346656037, prime 1099511628211).</summary>
    public static ulong Fnv1a64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const ulong prime = 1099511628211;
        var hash = 14695981039346656037;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(text) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(text, buffer)] : Encoding.UTF8.GetBytes(text);
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= prime;
        }

        return hash;
    }
}
