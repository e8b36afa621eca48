namespace SmtpDane.Targets;

/// <summary>
/// TCP service names to ports, as Go's <c>net.LookupPort("tcp", name)</c> sees them: Go's built-in
/// table overlaid with a services(5) file. The file is read once, on the first lookup.
/// </summary>
public sealed class ServiceTable
{
    /// <summary>Largest services file read; the rest is ignored.</summary>
    private const int MaxFileChars = 4 * 1024 * 1024;

    private readonly Func<string?> _loadText;
    private Dictionary<string, int>? _ports;

    private ServiceTable(Func<string?> loadText) => _loadText = loadText;

    /// <summary>The platform's services file (/etc/services; on Windows under drivers\etc).</summary>
    public static string DefaultPath => OperatingSystem.IsWindows()
        ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.System), "drivers", "etc", "services")
        : "/etc/services";

    /// <summary>A table reading <paramref name="path"/> lazily; a missing or unreadable file leaves the built-ins.</summary>
    public static ServiceTable FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new ServiceTable(() => ReadCapped(path));
    }

    /// <summary>A table from services(5) text (tests).</summary>
    public static ServiceTable FromText(string? text) => new(() => text);

    /// <summary>The built-in table only.</summary>
    public static ServiceTable BuiltIn() => new(() => null);

    /// <summary>Case-insensitive lookup of a TCP service name.</summary>
    public bool TryGetTcpPort(string name, out int port)
    {
        ArgumentNullException.ThrowIfNull(name);
        _ports ??= Build(_loadText());
        return _ports.TryGetValue(name, out port);
    }

    private static string? ReadCapped(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var text = new System.Text.StringBuilder();
            var buffer = new char[8192];
            int read;
            while (text.Length < MaxFileChars && (read = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                text.Append(buffer, 0, Math.Min(read, MaxFileChars - text.Length));
            }

            return text.ToString();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    private static Dictionary<string, int> Build(string? text)
    {
        // Go's net package fallback table (net/lookup.go).
        var ports = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["ftp"] = 21,
            ["ftps"] = 990,
            ["gopher"] = 70,
            ["http"] = 80,
            ["https"] = 443,
            ["imap2"] = 143,
            ["imap3"] = 220,
            ["imaps"] = 993,
            ["pop3"] = 110,
            ["pop3s"] = 995,
            ["smtp"] = 25,
            ["submissions"] = 465,
            ["ssh"] = 22,
            ["telnet"] = 23,
        };
        if (text is null)
        {
            return ports;
        }

        // "name port/proto [aliases...] [# comment]"; later lines win, as in Go's readServices.
        foreach (var rawLine in text.Split('\n'))
        {
            var hash = rawLine.IndexOf('#', StringComparison.Ordinal);
            var line = hash >= 0 ? rawLine[..hash] : rawLine;
            var fields = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                continue;
            }

            var slash = fields[1].IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0
                || !string.Equals(fields[1][(slash + 1)..], "tcp", StringComparison.Ordinal)
                || !int.TryParse(fields[1].AsSpan(0, slash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
                || port is <= 0 or > 65535)
            {
                continue;
            }

            for (var i = 0; i < fields.Length; i++)
            {
                if (i != 1)
                {
                    ports[fields[i]] = port;
                }
            }
        }

        return ports;
    }
}
