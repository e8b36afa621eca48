using SmtpDane.Model;

namespace SmtpDane.Batch;

/// <summary>
/// One line of a target file after parsing: a typed <see cref="Request"/> (the line's own mode,
/// SRV service and TLS mode; a "submissions" line turns TLS on connect on), or, for a bad line,
/// <see cref="Error"/>; the line is then reported, not dropped. <see cref="Normalized"/> is the
/// line as hashed for -shard: lower case, single spaces, no comment.
/// </summary>
public sealed record BatchTarget(
    int LineNumber,
    string Normalized,
    ProbeRequest? Request,
    string? Error)
{
    public Target? Target => Request?.Target;
}
