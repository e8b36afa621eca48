using SmtpDane.Model;


namespace SmtpDane.Batch;

/// <summary>
/// One line of a target file after parsing. <see cref="Target"/> is null and <see cref="Error"/>
/// set when the line is bad; the line is then reported, not dropped. <see cref="SrvService"/> and
/// <see cref="TlsOnConnect"/> are the line's own (a "submissions" line turns TLS on connect on).
/// <see cref="Normalized"/> is the line as hashed for -shard: lower case, single spaces, no comment.
/// </summary>
public sealed record BatchTarget(
    int LineNumber,
    string Normalized,
    Target? Target,
    string? SrvService,
    bool TlsOnConnect,
    string? Error);
