namespace SmtpDane.Findings;

/// <summary>
/// One structured result of a check. <see cref="Code"/> is stable (see <see cref="FindingCodes"/>);
/// <see cref="Message"/> is one sentence for people. Strings that came from the network may be in
/// <see cref="Message"/> and <see cref="Data"/> raw: renderers escape them.
/// </summary>
public sealed record Finding(Severity Severity, string Code, string Message, IReadOnlyDictionary<string, string>? Data = null)
{
    public static Finding Info(string code, string message, IReadOnlyDictionary<string, string>? data = null) => new(Severity.Info, code, message, data);

    public static Finding Success(string code, string message, IReadOnlyDictionary<string, string>? data = null) => new(Severity.Success, code, message, data);

    public static Finding Warning(string code, string message, IReadOnlyDictionary<string, string>? data = null) => new(Severity.Warning, code, message, data);

    public static Finding Error(string code, string message, IReadOnlyDictionary<string, string>? data = null) => new(Severity.Error, code, message, data);
}
