namespace SmtpDane.Findings;

/// <summary>How much a finding matters. Ordered: a larger value is worse.</summary>
public enum Severity
{
    /// <summary>Context for the reader (records found, steps taken).</summary>
    Info = 0,

    /// <summary>A check that positively succeeded (e.g. a TLSA match).</summary>
    Success = 1,

    /// <summary>Something to fix soon; mail still flows (e.g. certificate expiring).</summary>
    Warning = 2,

    /// <summary>A check failed or could not be completed; fail closed.</summary>
    Error = 3,
}
