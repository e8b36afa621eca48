using System.Runtime.InteropServices;

namespace SmtpDane.Cli;

/// <summary>The -version text.</summary>
public static class VersionText
{
    public const string Version = "0.1.0";

    /// <summary>"smtpdane (dotnet) 0.1.0" then the runtime, one per line; no trailing newline.</summary>
    public static string Build() =>
        $"smtpdane (dotnet) {Version}\nsmtpdane: runtime: {RuntimeInformation.FrameworkDescription} {RuntimeInformation.RuntimeIdentifier}";
}
