namespace SmtpDane.Batch;

/// <summary>
/// A thread-safe least-recently-used map with a fixed capacity, so a run over a million domains
/// keeps memory flat: popular entries (a big provider's MX host) stay, one-off entries age out.
/// </summary>
public sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly int _capacity;
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _map;
    private readonly LinkedList<(TKey Key, TValue Value)> _order = new();
    private readonly Lock _gate = new();

    public LruCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _map = new Dictionary<TKey, LinkedListNode<(TKey, TValue)>>(Math.Min(capacity, 1024));
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _map.Count;
            }
        }
    }

    /// <summary>The cached value, or a new one from <paramref name="create"/> (called under the lock: keep it cheap).</summary>
    /// <returns>The value and whether it was already cached.</returns>
    public (TValue Value, bool Hit) GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                return (node.Value.Value, true);
            }

            var value = create(key);
            _map[key] = _order.AddFirst((key, value));
            if (_map.Count > _capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
            }

            return (value, false);
        }
    }

    public void Remove(TKey key)
    {
        lock (_gate)
        {
            if (_map.Remove(key, out var node))
            {
                _order.Remove(node);
            }
        }
    }
}
