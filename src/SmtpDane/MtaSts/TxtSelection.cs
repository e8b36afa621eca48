using SmtpDane.Model;

namespace SmtpDane.MtaSts;

/// <summary>
/// The record picked from a TXT RRset: <see cref="Record"/> its text (raw, from DNS: escape
/// before output), <see cref="Value"/> the parsed value (the MTA-STS id, or the TLS-RPT rua list
/// as given), <see cref="Error"/> why it is invalid.
/// </summary>
public sealed record TxtSelection(TxtOutcome Outcome, string? Record, string? Value, string? Error);
