namespace SmtpDane.IntegrationTests;

public class ScenarioTableTests
{
    /// <summary>Scenario ids the test bed must provide (the DANE cases the tool has to get right).</summary>
    public static readonly TheoryData<string> RequiredIds = new(
        "ee311", "ee312", "ee300", "ta201", "ta201root", "ta210", "eemismatch", "tanamemismatch", "tawrongca",
        "expiredee", "expiredta", "expiring", "notlsa", "insecure", "bogussig", "bogusds", "nostarttls", "cname",
        "multimx", "unusable", "nullmx", "dupmx", "v6only", "multiaddr", "sub", "subs", "hostee311",
        "ocspgood", "ocspmissing", "ocsprevoked",
        "expiredta0s", "taclientauth", "tapathlen", "taexpiredinter", "ocspforeign", "ocspforeignexpect", "tls10",
        "rsa1024", "rsa1024ta", "sha1sig");

    [Fact]
    public void Load_RepositoryTable_ParsesEveryRow()
    {
        var table = ScenarioTable.Load();
        Assert.True(table.Count >= RequiredIds.Count);
        Assert.All(table, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
    }

    [Theory]
    [MemberData(nameof(RequiredIds))]
    public void Load_RepositoryTable_ContainsRequiredScenario(string id)
    {
        Assert.Contains(ScenarioTable.Load(), s => s.Id == id);
    }

    [Fact]
    public void Load_RepositoryTable_CoversEveryModeAndVerdict()
    {
        var table = ScenarioTable.Load();
        Assert.All(Enum.GetValues<ScenarioMode>(), m => Assert.Contains(table, s => s.Mode == m));
        Assert.All(Enum.GetValues<ScenarioVerdict>(), v => Assert.Contains(table, s => s.Expected == v));
    }

    [Fact]
    public void Parse_ValidRow_ReadsAllColumns()
    {
        var s = Assert.Single(ScenarioTable.Parse(Header + "ocspgood\tmx\tocspgood.test\t-expect-ocsp -x\tok\tStapled.\tok\tocsp.good,dane.verified\n"));
        Assert.Equal(new Scenario(3, "ocspgood", ScenarioMode.Mx, "ocspgood.test", s.ExtraFlags, ScenarioVerdict.Ok, "Stapled.", ScenarioVerdict.Ok, s.ExpectCodes), s);
        Assert.Equal(["ocsp.good", "dane.verified"], s.ExpectCodes);
        Assert.Equal(["-expect-ocsp", "-x"], s.ExtraFlags);
    }

    [Theory]
    [InlineData("a\tmx\ta.test\t-\tok\tWhy.\n", "expected 8")]
    [InlineData("a\tsmtp\ta.test\t-\tok\tWhy.\tok\tdane.verified\n", "mode")]
    [InlineData("a\tmx\ta.test\t-\tfine\tWhy.\tok\tdane.verified\n", "expected 'fine'")]
    [InlineData("a\tmx\ta.test\t-\tok\tWhy.\tmaybe\tdane.verified\n", "posttls_finger")]
    [InlineData("a\tmx\ta.example\t-\tok\tWhy.\tok\tdane.verified\n", "argument")]
    [InlineData("a\thost\ta.test\t-\tok\tWhy.\tn/a\tdane.verified\n", "host:port")]
    [InlineData("a\tsubmission\ta.test\t-\tok\tWhy.\tok\tdane.verified\n", "n/a")]
    [InlineData("a\tmx\ta.test\texpect\tok\tWhy.\tok\tdane.verified\n", "extra_flags")]
    [InlineData("A\tmx\ta.test\t-\tok\tWhy.\tok\tdane.verified\n", "id")]
    [InlineData("a\tmx\ta.test\t-\tok\t\tok\tdane.verified\n", "reason")]
    [InlineData("a\tmx\ta.test\t-\tok\tWhy.\tok\tdane.verified\na\tmx\tb.test\t-\tok\tWhy.\tok\tdane.verified\n", "duplicate")]
    [InlineData("a\tmx\ta.test\t-\tok\tWhy.\tok\tdane x\n", "expect_codes")]
    public void Parse_BadRow_ThrowsNamingLine(string rows, string fragment)
    {
        var e = Assert.Throws<InvalidDataException>(() => ScenarioTable.Parse(Header + rows, "t.tsv"));
        Assert.StartsWith("t.tsv:", e.Message, StringComparison.Ordinal);
        Assert.Matches(@"^t\.tsv:\d+: ", e.Message);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingHeader_Throws()
    {
        Assert.Throws<InvalidDataException>(() => ScenarioTable.Parse("a\tmx\ta.test\t-\tok\tWhy.\tok\tdane.verified\n"));
    }

    private const string Header = "# comment\nid\tmode\targument\textra_flags\texpected\treason\tposttls_finger\texpect_codes\n";
}
