namespace SmtpDane.Cli;

/// <summary>
/// Flag values as given, before validation; one instance per parse. A flag not given reads as its
/// <see cref="FlagDefinition.Default"/> from the table, so no default is written anywhere else.
/// Aliases (-p, -q) share their flag's slot, so the last one given wins, as two Go flags bound to
/// one variable.
/// </summary>
internal sealed class RawFlags
{
    private readonly IReadOnlyList<FlagDefinition> _table;
    private readonly Dictionary<string, bool> _bools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _durations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _lists = new(StringComparer.Ordinal);

    /// <param name="table">The flag table; <see cref="FlagDefinition.All"/> except in tests.</param>
    public RawFlags(IReadOnlyList<FlagDefinition> table)
    {
        _table = table;
    }

    /// <summary>Whether the flag (or an alias of it) was on the command line.</summary>
    public bool Given(string name)
    {
        var slot = Slot(name);
        return _bools.ContainsKey(slot) || _strings.ContainsKey(slot) || _durations.ContainsKey(slot) || _lists.ContainsKey(slot);
    }

    public bool Bool(string name) => _bools.GetValueOrDefault(Slot(name));

    /// <summary>The value given, else the table's default (null when the flag has none).</summary>
    public string? String(string name) => _strings.TryGetValue(Slot(name), out var value) ? value : Definition(name).Default;

    /// <summary>The value given, else the table's default, for a flag that has one.</summary>
    public string Text(string name) => String(name) ?? throw new InvalidOperationException($"-{name} has no default");

    /// <summary>The value given, else the table's default (every duration flag has one).</summary>
    public TimeSpan Duration(string name) => _durations.TryGetValue(Slot(name), out var value) ? value : Definition(name).DefaultDuration;

    public IReadOnlyList<string> List(string name) => _lists.TryGetValue(Slot(name), out var values) ? values : [];

    public void SetBool(string name, bool value) => _bools[Slot(name)] = value;

    public void SetString(string name, string value) => _strings[Slot(name)] = value;

    public void SetDuration(string name, TimeSpan value) => _durations[Slot(name)] = value;

    public void Add(string name, string value)
    {
        var slot = Slot(name);
        if (!_lists.TryGetValue(slot, out var values))
        {
            values = [];
            _lists[slot] = values;
        }

        values.Add(value);
    }

    /// <summary>Names outside the table (the serve marker) are their own slot.</summary>
    private string Slot(string name) => FlagDefinition.Find(_table, name)?.Slot ?? name;

    private FlagDefinition Definition(string name) =>
        FlagDefinition.Find(_table, Slot(name)) ?? throw new InvalidOperationException($"-{name} is not in the flag table");
}
