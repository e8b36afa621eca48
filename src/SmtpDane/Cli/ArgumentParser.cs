using SmtpDane.Targets;

namespace SmtpDane.Cli;

/// <summary>
/// The command line, with Go flag package semantics: -flag and --flag; -flag=value and -flag value;
/// booleans as -flag or -flag=bool only; parsing stops at the first non-flag argument or "--";
/// a lone "-" is an argument. Last use of a flag wins, except -aka which appends.
/// </summary>
public static class ArgumentParser
{
    /// <param name="args">Arguments after the program name.</param>
    /// <param name="environment">NO_COLOR and TERM are read from it; null means empty.</param>
    /// <param name="stdoutIsTerminal">Whether colour is possible at all.</param>
    /// <param name="services">Port names; null means <see cref="ServiceTable.DefaultPath"/>, read only if a name is used.</param>
    public static ParseResult Parse(
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string?>? environment = null,
        bool stdoutIsTerminal = false,
        ServiceTable? services = null) =>
        Parse(args, environment, stdoutIsTerminal, services, FlagDefinition.All);

    /// <param name="table">The flag table; tests pass a changed copy of <see cref="FlagDefinition.All"/>.</param>
    internal static ParseResult Parse(
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string?>? environment,
        bool stdoutIsTerminal,
        ServiceTable? services,
        IReadOnlyList<FlagDefinition> table)
    {
        ArgumentNullException.ThrowIfNull(args);
        var raw = new RawFlags(table);
        var i = 0;
        if (args.Count > 0 && args[0] == "serve")
        {
            // Subcommand: the same flags set the exporter's probe defaults.
            raw.SetBool(OptionsBuilder.ServeFlag, true);
            i = 1;
        }

        while (i < args.Count)
        {
            var s = args[i];
            if (s.Length < 2 || s[0] != '-')
            {
                break;
            }

            var minuses = 1;
            if (s[1] == '-')
            {
                minuses = 2;
                if (s.Length == 2)
                {
                    i++;
                    break;
                }
            }

            var name = s[minuses..];
            if (name.Length == 0 || name[0] == '-' || name[0] == '=')
            {
                return SyntaxError($"bad flag syntax: {s}", raw);
            }

            i++;
            string? value = null;
            var eq = name.IndexOf('=', 1);
            if (eq > 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            var flag = FlagDefinition.Find(table, name);
            if (flag is null)
            {
                if (name is "help" or "h")
                {
                    return ParseResult.Help();
                }

                return SyntaxError($"flag provided but not defined: -{name}", raw);
            }

            if (flag.Kind == FlagKind.Bool)
            {
                if (value is null)
                {
                    raw.SetBool(name, true);
                }
                else if (TryParseGoBool(value, out var b))
                {
                    raw.SetBool(name, b);
                }
                else
                {
                    return SyntaxError($"invalid boolean value {GoDuration.Quote(value)} for -{name}: parse error", raw);
                }

                continue;
            }

            if (value is null)
            {
                if (i >= args.Count)
                {
                    return SyntaxError($"flag needs an argument: -{name}", raw);
                }

                value = args[i++];
            }

            switch (flag.Kind)
            {
                case FlagKind.Duration:
                    if (!GoDuration.TryParse(value, out var duration, out var error))
                    {
                        return SyntaxError($"invalid value {GoDuration.Quote(value)} for flag -{name}: {error}", raw);
                    }

                    raw.SetDuration(name, duration);
                    break;
                case FlagKind.List:
                    raw.Add(name, value);
                    break;
                default:
                    raw.SetString(name, value);
                    break;
            }
        }

        var nagios = raw.Bool("nagios");
        if (raw.Bool("version"))
        {
            return ParseResult.Version(nagios);
        }

        var hosts = new List<string>(args.Count - i);
        for (; i < args.Count; i++)
        {
            hosts.Add(args[i]);
        }

        return OptionsBuilder.Build(
            raw,
            hosts,
            environment ?? new Dictionary<string, string?>(),
            stdoutIsTerminal,
            services ?? ServiceTable.FromFile(ServiceTable.DefaultPath));
    }

    /// <summary>Go's strconv.ParseBool.</summary>
    internal static bool TryParseGoBool(string text, out bool value)
    {
        switch (text)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static ParseResult SyntaxError(string message, RawFlags raw) =>
        ParseResult.Fail(message, raw.Bool("nagios"), syntax: true, showUsage: true);
}
