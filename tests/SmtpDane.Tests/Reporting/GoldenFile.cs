using System.Runtime.CompilerServices;

namespace SmtpDane.Tests.Reporting;

/// <summary>Byte-exact comparison with Golden/; UPDATE_GOLDEN=1 rewrites the files instead (inspect before committing).</summary>
internal static class GoldenFile
{
    public static void AssertMatches(string name, string actual)
    {
        var path = Path.Combine(Directory(), name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"missing golden file {path}; run the tests once with UPDATE_GOLDEN=1 and inspect it");
        var expected = File.ReadAllText(path);
        Assert.Equal(expected, actual);
    }

    /// <summary>A file of the repository, e.g. "docs/json-schema.md".</summary>
    public static string RepositoryPath(string relative) =>
        Path.GetFullPath(Path.Combine(Directory(), "..", "..", "..", "..", relative));

    private static string Directory([CallerFilePath] string source = "")
    {
        var beside = Path.Combine(Path.GetDirectoryName(source) ?? "", "Golden");
        if (System.IO.Directory.Exists(beside))
        {
            return beside;
        }

        // Path-mapped builds: walk up from the working directory to the repository.
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "SmtpDane.Tests", "Reporting", "Golden");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/SmtpDane.Tests/Reporting/Golden");
    }
}
