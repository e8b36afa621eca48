using System.Text;

namespace SmtpDane.Cli;

/// <summary>
/// The bash completion script, generated from <see cref="FlagDefinition.All"/> like the man page:
/// flag names, file names after file-valued flags, the -dnssec modes, and the serve subcommand.
/// </summary>
public static class BashCompletion
{
    public static string Build()
    {
        var allFlags = string.Join(' ', FlagDefinition.All.Select(f => "-" + f.Name).Append("-help"));
        var fileFlags = FlagDefinition.All.Where(f => f.ValueName == "file").Select(f => f.Name).ToList();
        var valueFlags = FlagDefinition.All.Where(f => f.Kind != FlagKind.Bool && f.ValueName != "file" && f.Name != "dnssec").Select(f => f.Name).ToList();
        var sb = new StringBuilder()
            .Append("# bash completion for smtpdane(1); generated from its flag table, do not edit.\n")
            .Append("_smtpdane()\n{\n")
            .Append("    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n")
            .Append("    # -flag=value: bash splits at '=' (COMP_WORDBREAKS), so the flag is one or two words back.\n")
            .Append("    if [[ $cur == = ]]; then cur=''; elif [[ $prev == = ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}; fi\n")
            .Append("    COMPREPLY=()\n")
            .Append("    case $prev in\n")
            .Append("        ").Append(Alternatives(fileFlags)).Append(")\n")
            .Append("            COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n")
            .Append("        ").Append(Alternatives(["dnssec"])).Append(")\n")
            .Append("            COMPREPLY=($(compgen -W '").Append(CliOptions.DnssecResolver).Append(' ').Append(CliOptions.DnssecLocal).Append("' -- \"$cur\")); return ;;\n")
            .Append("        ").Append(Alternatives(valueFlags)).Append(")\n")
            .Append("            return ;;\n")
            .Append("    esac\n")
            .Append("    if [[ $cur == -* ]]; then\n")
            .Append("        COMPREPLY=($(compgen -W '").Append(allFlags).Append("' -- \"$cur\"))\n")
            .Append("    elif [[ $COMP_CWORD == 1 ]]; then\n")
            .Append("        COMPREPLY=($(compgen -W 'serve' -- \"$cur\"))\n")
            .Append("    fi\n")
            .Append("}\n")
            .Append("complete -F _smtpdane smtpdane\n");
        return sb.ToString();
    }

    /// <summary>A case pattern matching "-name" and "--name".</summary>
    private static string Alternatives(IEnumerable<string> names) =>
        string.Join('|', names.Select(n => "-" + n + "|--" + n));
}
