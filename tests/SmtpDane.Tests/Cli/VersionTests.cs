using System.Text.RegularExpressions;
using SmtpDane.Cli;

namespace SmtpDane.Tests.Cli;

/// <summary>One version number: Directory.Build.props, shown by -version (and used by the .deb and the tool package).</summary>
public partial class VersionTests
{
    [Fact]
    public void Version_IsTheRepositoryVersion()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var props = File.ReadAllText(Path.Combine(dir.FullName, "Directory.Build.props"));
        var repositoryVersion = PropsVersion().Match(props).Groups[1].Value;
        Assert.Matches(@"^\d+\.\d+\.\d+$", repositoryVersion);
        Assert.Equal(repositoryVersion, VersionText.Version);
        Assert.StartsWith($"smtpdane (dotnet) {repositoryVersion}\n", VersionText.Build(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<Version>([^<]+)</Version>")]
    private static partial Regex PropsVersion();
}
