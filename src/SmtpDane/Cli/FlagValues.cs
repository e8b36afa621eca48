using SmtpDane.Targets;

namespace SmtpDane.Cli;

/// <summary>Checks of single flag values and of flag combinations, for <see cref="OptionsBuilder"/>.</summary>
internal static class FlagValues
{
    /// <summary>Go smtpdane's conflict matrix: every pair that is set, "-a and -b conflict".</summary>
    public static void Conflicts(List<string> errors, params (string Name, bool Set)[] flags)
    {
        for (var a = 0; a < flags.Length - 1; a++)
        {
            for (var b = a + 1; b < flags.Length; b++)
            {
                if (flags[a].Set && flags[b].Set)
                {
                    errors.Add($"-{flags[a].Name} and -{flags[b].Name} conflict");
                }
            }
        }
    }

    /// <summary>RFC 6335 §5.1-style service label: letters, digits, inner hyphens; a leading '_' is dropped.</summary>
    public static string? SrvService(string text, List<string> errors)
    {
        if (text.StartsWith('-'))
        {
            // Go smtpdane's check: usually "-srv" missing its argument.
            errors.Add($"SRV service names MUST NOT start with a hyphen, {GoDuration.Quote(text)} is invalid");
            return null;
        }

        var name = text.StartsWith('_') ? text[1..] : text;
        if (!SrvServiceName.IsValid(name))
        {
            errors.Add($"invalid -srv service {GoDuration.Quote(text)}: expected a service name such as submission (letters, digits, inner hyphens)");
            return null;
        }

        return name.ToLowerInvariant();
    }

    /// <summary>A host name, or an address literal [192.0.2.1] / [IPv6:2001:db8::1] (RFC 5321 §4.1.3).</summary>
    public static bool IsValidHelo(string helo, out string reason)
    {
        reason = string.Empty;
        if (!HostName.IsPrintableToken(helo))
        {
            reason = helo.Length == 0 ? "empty name" : "contains a space, control or non-ASCII character";
            return false;
        }

        if (helo.StartsWith('['))
        {
            var inner = helo.EndsWith(']') ? helo[1..^1] : null;
            var ok = inner is not null && (HostName.TryParseIPv4(inner, out _)
                || (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase) && HostName.TryParseIPv6(inner[5..], out _)));
            reason = ok ? string.Empty : "an address literal must be [a.b.c.d] or [IPv6:address]";
            return ok;
        }

        return HostName.TryNormalize(helo, out _, out reason);
    }

    /// <summary>https://no-color.org: NO_COLOR set and non-empty disables colour; so does TERM=dumb.</summary>
    public static bool ColorAllowedBy(IReadOnlyDictionary<string, string?> environment) =>
        !(environment.TryGetValue("NO_COLOR", out var noColor) && !string.IsNullOrEmpty(noColor))
        && !(environment.TryGetValue("TERM", out var term) && term == "dumb");
}
