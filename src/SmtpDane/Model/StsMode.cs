namespace SmtpDane.Model;

/// <summary>The policy's "mode" (RFC 8461 §5): what a sender does when an MX fails validation.</summary>
public enum StsMode
{
    /// <summary>"none": senders treat the domain as having no active policy (used to withdraw one).</summary>
    None,

    /// <summary>"testing": senders deliver anyway and only report failures (TLS-RPT).</summary>
    Testing,

    /// <summary>"enforce": senders refuse an MX that is not covered or has no Web-PKI-valid certificate.</summary>
    Enforce,
}
