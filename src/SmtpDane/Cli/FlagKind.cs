namespace SmtpDane.Cli;

/// <summary>How a flag takes its value, as Go's flag package types.</summary>
internal enum FlagKind
{
    /// <summary>-flag or -flag=bool; never takes the next argument.</summary>
    Bool,

    /// <summary>-flag value or -flag=value.</summary>
    String,

    /// <summary>A whole number, kept as text and range-checked with the other values; help shows its default unquoted, as Go's int flags.</summary>
    Int,

    /// <summary>A string parsed as a Go duration while parsing.</summary>
    Duration,

    /// <summary>A string that may be repeated; each use appends.</summary>
    List,
}
