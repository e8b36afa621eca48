using System.Globalization;
using SmtpDane.Model;

namespace SmtpDane.MtaSts;

/// <summary>
/// Parses the policy body (RFC 8461 §3.2): "key: value" lines separated by LF or CRLF. version
/// must be "STSv1"; mode enforce, testing or none; max_age 1-10 digits, at most 31557600; mx
/// patterns (at least one unless mode is none) are host names, optionally "*." + host name.
/// Unknown keys are ignored (§3.2: extension fields). A repeated version, mode or max_age is
/// ambiguous and rejected. Empty lines are tolerated; any other line without a colon is not.
/// </summary>
public static class StsPolicyParser
{
    public static StsPolicyParse Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? version = null, mode = null, maxAge = null;
        var mx = new List<string>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Trim(' ', '\t').Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return StsPolicyParse.Invalid($"line {lineNumber} is not \"key: value\"");
            }

            var key = line[..colon];
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (!IsFieldName(key))
            {
                return StsPolicyParse.Invalid($"line {lineNumber} has an invalid key");
            }

            switch (key)
            {
                case "version":
                case "mode":
                case "max_age":
                    ref var slot = ref key == "version" ? ref version : ref key == "mode" ? ref mode : ref maxAge;
                    if (slot is not null)
                    {
                        return StsPolicyParse.Invalid($"\"{key}\" appears more than once");
                    }

                    slot = value;
                    break;
                case "mx":
                    var pattern = value.TrimEnd('.').ToLowerInvariant();
                    if (!IsMxPattern(pattern))
                    {
                        return StsPolicyParse.Invalid($"mx pattern \"{value}\" is not a host name or \"*.\" followed by one");
                    }

                    mx.Add(pattern);
                    break;
                default:
                    break; // §3.2: unknown fields are ignored (extensions).
            }
        }

        if (version != "STSv1")
        {
            return StsPolicyParse.Invalid(version is null ? "no \"version\" field" : $"version \"{version}\" is not STSv1");
        }

        StsMode parsedMode;
        switch (mode)
        {
            case "enforce": parsedMode = StsMode.Enforce; break;
            case "testing": parsedMode = StsMode.Testing; break;
            case "none": parsedMode = StsMode.None; break;
            case null: return StsPolicyParse.Invalid("no \"mode\" field");
            default: return StsPolicyParse.Invalid($"mode \"{mode}\" is not enforce, testing or none");
        }

        if (maxAge is null)
        {
            return StsPolicyParse.Invalid("no \"max_age\" field");
        }

        if (maxAge.Length is 0 or > 10 || !maxAge.All(char.IsAsciiDigit) ||
            !long.TryParse(maxAge, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > StsPolicy.MaxMaxAge)
        {
            return StsPolicyParse.Invalid($"max_age \"{maxAge}\" is not a number of seconds from 0 to {StsPolicy.MaxMaxAge}");
        }

        if (mx.Count == 0 && parsedMode != StsMode.None)
        {
            return StsPolicyParse.Invalid($"mode {mode} needs at least one \"mx\" pattern");
        }

        return new StsPolicyParse(new StsPolicy(parsedMode, seconds, mx), null);
    }

    /// <summary>RFC 8461 §3.2 sts-policy-ext-name: (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".").</summary>
    private static bool IsFieldName(string key) =>
        key.Length is >= 1 and <= 32 && char.IsAsciiLetterOrDigit(key[0]) &&
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>["*."] Domain: LDH labels of 1-63 characters, 253 in all (RFC 1035 §2.3.1).</summary>
    internal static bool IsMxPattern(string pattern)
    {
        var host = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
        if (host.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var label in host.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' ||
                !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
