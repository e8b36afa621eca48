namespace SmtpDane.Certificates;

/// <summary>
/// Length caps for strings that came from the peer. They stay raw (renderers escape them) but
/// bounded, so a hostile certificate cannot flood the output.
/// </summary>
internal static class PeerText
{
    public const int MaxLength = 256;
    public const int MaxListed = 10;

    public static string Cap(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), "...");
    }

    /// <summary>Quoted, capped, comma-separated; past <see cref="MaxListed"/> items "and N more".</summary>
    public static string QuotedList(IEnumerable<string> items)
    {
        var all = items.ToList();
        if (all.Count == 0)
        {
            return "(none)";
        }

        var shown = string.Join(", ", all.Take(MaxListed).Select(s => $"\"{Cap(s)}\""));
        return all.Count > MaxListed ? $"{shown} and {all.Count - MaxListed} more" : shown;
    }
}
