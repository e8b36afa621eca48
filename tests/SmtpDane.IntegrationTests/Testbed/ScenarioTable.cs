using System.Collections.ObjectModel;

namespace SmtpDane.IntegrationTests;

/// <summary>How the tool is invoked for a scenario.</summary>
public enum ScenarioMode
{
    /// <summary>Argument is a mail domain; MX hosts are checked on port 25 (STARTTLS).</summary>
    Mx,

    /// <summary>Argument is a domain; _submission._tcp SRV, STARTTLS (RFC 6186).</summary>
    Submission,

    /// <summary>Argument is a domain; _submissions._tcp SRV, TLS on connect (RFC 8314).</summary>
    Submissions,

    /// <summary>Argument is host:port, checked directly.</summary>
    Host,
}

/// <summary>Overall verdict of a check.</summary>
public enum ScenarioVerdict
{
    Ok,
    Warning,
    Error,
}

/// <summary>One row of testbed/scenarios.tsv.</summary>
/// <param name="Line">1-based line number in the file.</param>
/// <param name="Id">Short unique name; also the scenario's zone label (id.test.) for most rows.</param>
/// <param name="Mode">How the tool is invoked.</param>
/// <param name="Argument">What is passed to the tool (domain, or host:port in host mode).</param>
/// <param name="ExtraFlags">Additional command-line flags (empty for '-').</param>
/// <param name="Expected">The verdict the tool must give.</param>
/// <param name="Reason">One sentence saying why.</param>
/// <param name="PosttlsFinger">The verdict posttls-finger gives (null: not run, 'n/a').</param>
/// <param name="ExpectCodes">Finding codes the tool must report for this scenario.</param>
public sealed record Scenario(
    int Line,
    string Id,
    ScenarioMode Mode,
    string Argument,
    IReadOnlyList<string> ExtraFlags,
    ScenarioVerdict Expected,
    string Reason,
    ScenarioVerdict? PosttlsFinger,
    IReadOnlyList<string> ExpectCodes)
{
    public override string ToString() => Id;
}

/// <summary>Strict parser for testbed/scenarios.tsv.</summary>
public static class ScenarioTable
{
    /// <summary>The header every file must have (first non-comment line).</summary>
    public static readonly ReadOnlyCollection<string> Columns =
        new(["id", "mode", "argument", "extra_flags", "expected", "reason", "posttls_finger", "expect_codes"]);

    /// <summary>Loads testbed/scenarios.tsv of this repository.</summary>
    public static IReadOnlyList<Scenario> Load() => Load(Testbed.ScenariosPath);

    /// <summary>Loads a scenario file; throws <see cref="InvalidDataException"/> naming the line for any bad row.</summary>
    public static IReadOnlyList<Scenario> Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses scenario text. Lines starting with '#' and blank lines are ignored.</summary>
    public static IReadOnlyList<Scenario> Parse(string text, string source = "scenarios.tsv")
    {
        var result = new List<Scenario>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var sawHeader = false;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var cells = line.Split('\t');
            if (!sawHeader)
            {
                if (!cells.SequenceEqual(Columns, StringComparer.Ordinal))
                {
                    throw Bad(source, lineNo, $"header must be '{string.Join("<TAB>", Columns)}'");
                }

                sawHeader = true;
                continue;
            }

            if (cells.Length != Columns.Count)
            {
                throw Bad(source, lineNo, $"expected {Columns.Count} tab-separated columns, found {cells.Length}");
            }

            for (var c = 0; c < cells.Length; c++)
            {
                if (cells[c].Length == 0 || cells[c] != cells[c].Trim())
                {
                    throw Bad(source, lineNo, $"column '{Columns[c]}' is empty or has surrounding blanks");
                }
            }

            var id = cells[0];
            if (!IsIdentifier(id))
            {
                throw Bad(source, lineNo, $"id '{id}' must be lower-case letters and digits");
            }

            if (ids.TryGetValue(id, out var first))
            {
                throw Bad(source, lineNo, $"duplicate id '{id}' (first on line {first})");
            }

            ids.Add(id, lineNo);
            var mode = cells[1] switch
            {
                "mx" => ScenarioMode.Mx,
                "submission" => ScenarioMode.Submission,
                "submissions" => ScenarioMode.Submissions,
                "host" => ScenarioMode.Host,
                _ => throw Bad(source, lineNo, $"mode '{cells[1]}' is not mx, submission, submissions or host"),
            };
            var argument = cells[2];
            if (mode == ScenarioMode.Host ? !IsHostPort(argument) : !IsDomain(argument))
            {
                throw Bad(source, lineNo, mode == ScenarioMode.Host
                    ? $"argument '{argument}' must be host:port"
                    : $"argument '{argument}' must be a domain name under test.");
            }

            IReadOnlyList<string> flags = cells[3] == "-" ? [] : cells[3].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (flags.Any(f => !f.StartsWith('-') || f == "-"))
            {
                throw Bad(source, lineNo, $"extra_flags '{cells[3]}' must be '-' or flags starting with '-'");
            }

            var expected = ParseVerdict(cells[4]) ?? throw Bad(source, lineNo, $"expected '{cells[4]}' is not ok, warning or error");
            ScenarioVerdict? posttls = cells[6] == "n/a"
                ? null
                : ParseVerdict(cells[6]) ?? throw Bad(source, lineNo, $"posttls_finger '{cells[6]}' is not ok, warning, error or n/a");
            if (posttls is not null && mode != ScenarioMode.Mx)
            {
                throw Bad(source, lineNo, "posttls_finger must be 'n/a' unless mode is mx");
            }

            var codes = cells[7].Split(',');
            if (codes.Any(c => c.Length == 0 || c.Contains(' ', StringComparison.Ordinal)))
            {
                throw Bad(source, lineNo, $"expect_codes '{cells[7]}' must be comma-separated finding codes");
            }

            result.Add(new Scenario(lineNo, id, mode, argument, flags, expected, cells[5], posttls, codes));
        }

        if (!sawHeader)
        {
            throw Bad(source, lines.Length, "no header line");
        }

        return result;
    }

    /// <summary>Parses ok, warning or error; null otherwise.</summary>
    public static ScenarioVerdict? ParseVerdict(string s) => s switch
    {
        "ok" => ScenarioVerdict.Ok,
        "warning" => ScenarioVerdict.Warning,
        "error" => ScenarioVerdict.Error,
        _ => null,
    };

    /// <summary>The table spelling of a verdict.</summary>
    public static string Format(ScenarioVerdict? v) => v switch
    {
        ScenarioVerdict.Ok => "ok",
        ScenarioVerdict.Warning => "warning",
        ScenarioVerdict.Error => "error",
        _ => "n/a",
    };

    private static InvalidDataException Bad(string source, int line, string message) =>
        new($"{source}:{line}: {message}");

    private static bool IsIdentifier(string s) =>
        s.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9')) && char.IsAsciiLetterLower(s[0]);

    private static bool IsDomain(string s) =>
        s.EndsWith(".test", StringComparison.Ordinal)
        && s.Split('.').All(l => l.Length is > 0 and < 64 && l.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'));

    private static bool IsHostPort(string s)
    {
        var colon = s.LastIndexOf(':');
        return colon > 0
            && IsDomain(s[..colon])
            && int.TryParse(s[(colon + 1)..], System.Globalization.NumberStyles.None, null, out var port)
            && port is > 0 and < 65536;
    }
}
