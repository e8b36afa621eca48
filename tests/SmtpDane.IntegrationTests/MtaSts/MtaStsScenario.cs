namespace SmtpDane.IntegrationTests.MtaSts;

/// <summary>One row of testbed/mta-sts-scenarios.tsv; the id is also the domain's label under test.</summary>
/// <param name="Reference">mta-sts-query's expected answer: "VALID mode max_age mx,..." (mx "-" when none), "FETCH_ERROR" or "NONE".</param>
public sealed record MtaStsScenario(string Id, string Domain, string Expected, IReadOnlyList<string> ExpectCodes, string Reference, string Reason)
{
    public static string Path => System.IO.Path.Combine(Testbed.Directory, "mta-sts-scenarios.tsv");

    public static IReadOnlyList<MtaStsScenario> Load()
    {
        var rows = new List<MtaStsScenario>();
        foreach (var line in File.ReadAllLines(Path))
        {
            if (line.StartsWith('#') || line.StartsWith("id\t", StringComparison.Ordinal) || line.Length == 0)
            {
                continue;
            }

            var c = line.Split('\t');
            if (c.Length != 5)
            {
                throw new InvalidDataException($"{Path}: expected 5 tab-separated cells: {line}");
            }

            rows.Add(new MtaStsScenario(c[0], c[0] + ".test", c[1], c[2].Split(','), c[3], c[4]));
        }

        return rows;
    }
}
