namespace SmtpDane.Model;

/// <summary>How a command-line argument names SMTP endpoints.</summary>
public enum TargetMode
{
    /// <summary>The argument is a host name or address.</summary>
    Host,

    /// <summary>The argument is a mail domain: look up its MX records.</summary>
    Mx,

    /// <summary>The argument is a domain: look up <c>_service._tcp.domain</c> SRV records.</summary>
    Srv,
}
