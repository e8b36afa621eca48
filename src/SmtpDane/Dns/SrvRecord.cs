using SmtpDane.Model;

namespace SmtpDane.Dns;

/// <summary>An SRV record (RFC 2782). Target "" (the root) means "service not available".</summary>
public sealed record SrvRecord(ushort Priority, ushort Weight, ushort Port, string Target);
