namespace SmtpDane.Tests.Smtp;

/// <summary>
/// A conversation written as "S: …" and "C: …" lines. Consecutive S lines form one scripted
/// response; C lines are what the client must send. Lines are joined with CRLF.
/// </summary>
internal sealed record Transcript(IReadOnlyList<string> Responses, string ClientLines)
{
    public static Transcript Parse(string text)
    {
        var responses = new List<string>();
        var client = new System.Text.StringBuilder();
        var current = new System.Text.StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("S: ", StringComparison.Ordinal))
            {
                current.Append(line.AsSpan(3)).Append("\r\n");
            }
            else if (line.StartsWith("C: ", StringComparison.Ordinal))
            {
                responses.Add(current.ToString());
                current.Clear();
                client.Append(line.AsSpan(3)).Append("\r\n");
            }
        }

        if (current.Length > 0)
        {
            responses.Add(current.ToString());
        }

        return new Transcript(responses, client.ToString());
    }

    public ScriptedStream Stream(Delivery delivery) => new(Responses, delivery);
}
