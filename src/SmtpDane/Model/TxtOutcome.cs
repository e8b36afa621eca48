namespace SmtpDane.Model;

/// <summary>What a TXT RRset says about a versioned record (MTA-STS or TLS-RPT).</summary>
public enum TxtOutcome
{
    /// <summary>No record with the version prefix: the mechanism is not deployed.</summary>
    None,

    /// <summary>Exactly one record, well-formed.</summary>
    Valid,

    /// <summary>One malformed record, or several: senders ignore them all.</summary>
    Invalid,
}
