using System.Reflection;
using System.Runtime.InteropServices;

namespace SmtpDane.Cli;

/// <summary>The -version text.</summary>
public static class VersionText
{
    /// <summary>
    /// The repository's one version number (Directory.Build.props), compiled into the assembly
    /// as its informational version, so -version, the NuGet tool and the .deb cannot disagree.
    /// </summary>
    public static string Version { get; } =
        typeof(VersionText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>"smtpdane (dotnet) 0.1.0" then the runtime, one per line; no trailing newline.</summary>
    public static string Build() =>
        $"smtpdane (dotnet) {Version}\nsmtpdane: runtime: {RuntimeInformation.FrameworkDescription} {RuntimeInformation.RuntimeIdentifier}";
}
