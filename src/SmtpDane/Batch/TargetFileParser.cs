using SmtpDane.Model;
using SmtpDane.Targets;


namespace SmtpDane.Batch;

/// <summary>
/// Lines of a target file (-f) into <see cref="BatchTarget"/>s, each parsed once into a typed <see cref="ProbeRequest"/>. One target per line; '#' starts a
/// comment (at the start of the line or after white space); blank lines are skipped. A line may
/// start with a mode that overrides the command line's for that line only:
/// <c>mx example.org</c>, <c>submission example.net</c>, <c>submissions example.net</c>,
/// <c>srv SERVICE example.com</c>, <c>host mail.example.com:25</c>. A bare target uses the
/// command-line mode (-mx, -srv, … or host).
/// </summary>
public sealed class TargetFileParser
{
    /// <summary>Longer lines are reported as bad; the reader never holds more than this.</summary>
    public const int MaxLineLength = 1024;

    /// <summary>Largest target file read (-f): about four million targets.</summary>
    public const long MaxFileBytes = 256L << 20;

    private readonly ProbeSettings _defaults;
    private readonly ServiceTable _services;

    /// <param name="defaults">The command line's mode, -srv, -tls-on-connect and -mta-sts, for lines without a mode of their own.</param>
    public TargetFileParser(ProbeSettings defaults, ServiceTable services)
    {
        _defaults = defaults;
        _services = services;
    }

    /// <summary>Null for blank and comment lines.</summary>
    public BatchTarget? Parse(string line, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = StripComment(line).Trim();
        if (text.Length == 0)
        {
            return null;
        }

        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var normalized = string.Join(' ', tokens).ToLowerInvariant();
        if (line.Length > MaxLineLength)
        {
            return Bad(lineNumber, normalized, $"line {lineNumber} is longer than {MaxLineLength} characters");
        }

        var mode = _defaults.Mode;
        var service = _defaults.SrvService;
        var tlsOnConnect = _defaults.TlsOnConnect;
        string argument;
        var keyword = tokens.Length > 1 ? tokens[0].ToLowerInvariant() : null;
        switch (keyword, tokens.Length)
        {
            case (null, 1):
                argument = tokens[0];
                break;
            case ("mx", 2):
                (mode, service, tlsOnConnect, argument) = (TargetMode.Mx, null, false, tokens[1]);
                break;
            case ("host", 2):
                (mode, service, tlsOnConnect, argument) = (TargetMode.Host, null, false, tokens[1]);
                break;
            case ("submission", 2):
                (mode, service, tlsOnConnect, argument) = (TargetMode.Srv, "submission", false, tokens[1]);
                break;
            case ("submissions", 2):
                (mode, service, tlsOnConnect, argument) = (TargetMode.Srv, "submissions", true, tokens[1]);
                break;
            case ("srv", 3):
                service = tokens[1].StartsWith('_') ? tokens[1][1..].ToLowerInvariant() : tokens[1].ToLowerInvariant();
                if (!SrvServiceName.IsValid(service))
                {
                    return Bad(lineNumber, normalized, $"line {lineNumber}: invalid SRV service {GoDuration.Quote(tokens[1])}: expected a name such as submission");
                }

                (mode, tlsOnConnect, argument) = (TargetMode.Srv, service == "submissions", tokens[2]);
                break;
            default:
                return Bad(lineNumber, normalized, $"line {lineNumber}: expected one target, optionally after mx, submission, submissions, srv SERVICE or host, not {GoDuration.Quote(text)}");
        }

        if (mode == TargetMode.Srv && service is null)
        {
            return Bad(lineNumber, normalized, $"line {lineNumber}: SRV mode needs a service name");
        }

        if (!TargetParser.TryParse(argument, mode, _services, out var target, out var error))
        {
            return Bad(lineNumber, normalized, $"line {lineNumber}: {error}");
        }

        return new BatchTarget(lineNumber, normalized, new ProbeRequest(target!, mode == TargetMode.Srv ? service : null, tlsOnConnect, _defaults.MtaSts), null);
    }

    private static BatchTarget Bad(int lineNumber, string normalized, string error) =>
        new(lineNumber, normalized, null, error);

    private static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }
}
