namespace SmtpDane.Smtp;

/// <summary>
/// The server answered well-formed but negatively (or not with the code the step needs): "server
/// said no". Carries the reply and the command ("EHLO", "STARTTLS"; null for the greeting).
/// </summary>
public sealed class SmtpCommandException : Exception
{
    public SmtpCommandException()
    {
    }

    public SmtpCommandException(string message)
        : base(message)
    {
    }

    public SmtpCommandException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Message is "<paramref name="command"/> rejected: &lt;reply&gt;" (or "server greeting rejected: …").</summary>
    public SmtpCommandException(string? command, SmtpReply reply)
        : base($"{command ?? "server greeting"} rejected: {reply.ToString(MaxReplyChars)}")
    {
        Command = command;
        Reply = reply;
    }

    /// <summary>Reply text in the message is capped (the full reply is in <see cref="Reply"/>).</summary>
    internal const int MaxReplyChars = 300;

    /// <summary>The command verb, or null when the greeting was the refusal.</summary>
    public string? Command { get; }

    /// <summary>The server's reply; null only when built with a standard exception constructor.</summary>
    public SmtpReply? Reply { get; }
}
