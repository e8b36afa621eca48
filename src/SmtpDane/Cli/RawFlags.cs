namespace SmtpDane.Cli;

/// <summary>
/// Flag values as given, before validation; one instance per parse. Aliases (-p, -q) share their
/// flag's slot, so the last one given wins, as two Go flags bound to one variable.
/// </summary>
internal sealed class RawFlags
{
    private readonly Dictionary<string, bool> _bools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _durations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _lists = new(StringComparer.Ordinal);

    private static string Slot(string name) => name switch
    {
        "p" => "port",
        "q" => "quiet",
        _ => name,
    };

    public bool Bool(string name) => _bools.GetValueOrDefault(name);

    public string? String(string name) => _strings.GetValueOrDefault(name);

    public TimeSpan? Duration(string name) => _durations.TryGetValue(name, out var value) ? value : null;

    public IReadOnlyList<string> List(string name) => _lists.TryGetValue(name, out var values) ? values : [];

    public void SetBool(string name, bool value) => _bools[Slot(name)] = value;

    public void SetString(string name, string value) => _strings[Slot(name)] = value;

    public void SetDuration(string name, TimeSpan value) => _durations[Slot(name)] = value;

    public void Add(string name, string value)
    {
        if (!_lists.TryGetValue(name, out var values))
        {
            values = [];
            _lists[name] = values;
        }

        values.Add(value);
    }
}
