namespace SmtpDane.Model;

/// <summary>
/// The result of one policy fetch: the body when <see cref="StsFetchOutcome.Fetched"/>, else
/// <see cref="Problem"/> in words. <see cref="Url"/> is what was asked for. Body and problem may
/// hold peer text (escape before output).
/// </summary>
public sealed record StsFetch(string Url, StsFetchOutcome Outcome, string? Body, string? Problem);
