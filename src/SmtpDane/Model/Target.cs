namespace SmtpDane.Model;

/// <summary>
/// One parsed command-line argument. <see cref="Name"/> is a host name, IP address literal or
/// domain (no brackets, no trailing dot); <see cref="Port"/> is set when the argument carried one,
/// and then overrides MX's 25, the SRV port and -port.
/// </summary>
public sealed record Target(string Argument, TargetMode Mode, string Name, int? Port);
