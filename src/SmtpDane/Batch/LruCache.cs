namespace SmtpDane.Batch;

/// <summary>
/// A thread-safe least-recently-used map with a fixed capacity, so a run over a million domains
/// keeps memory flat: popular entries (a big provider's MX host) stay, one-off entries age out.
/// </summary>
public sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly int capacity;
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> map;
    private readonly LinkedList<(TKey Key, TValue Value)> order = new();
    private readonly Lock gate = new();

    public LruCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.capacity = capacity;
        map = new Dictionary<TKey, LinkedListNode<(TKey, TValue)>>(Math.Min(capacity, 1024));
    }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return map.Count;
            }
        }
    }

    /// <summary>The cached value, or a new one from <paramref name="create"/> (called under the lock: keep it cheap).</summary>
    /// <returns>The value and whether it was already cached.</returns>
    public (TValue Value, bool Hit) GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (gate)
        {
            if (map.TryGetValue(key, out var node))
            {
                order.Remove(node);
                order.AddFirst(node);
                return (node.Value.Value, true);
            }

            var value = create(key);
            map[key] = order.AddFirst((key, value));
            if (map.Count > capacity)
            {
                var last = order.Last!;
                order.RemoveLast();
                map.Remove(last.Value.Key);
            }

            return (value, false);
        }
    }

    public void Remove(TKey key)
    {
        lock (gate)
        {
            if (map.Remove(key, out var node))
            {
                order.Remove(node);
            }
        }
    }
}
