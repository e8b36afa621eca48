using SmtpDane.Batch;
using SmtpDane.Model;
using SmtpDane.Targets;
using SmtpDane.Tests.Cli;


namespace SmtpDane.Tests.Batch;

public class TargetFileParserTests
{
    private static readonly ServiceTable Services = ServiceTable.FromText(CliTestHelper.Services);

    private static TargetFileParser Parser(TargetMode mode = TargetMode.Mx, string? service = null, bool tls = false) =>
        new(new ProbeSettings { Mode = mode, SrvService = service, TlsOnConnect = tls }, Services);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("# a comment")]
    [InlineData("   # indented comment")]
    public void Parse_BlankOrComment_Null(string line) =>
        Assert.Null(Parser().Parse(line, 1));

    [Fact]
    public void Parse_BareDomain_UsesCommandLineMode()
    {
        var t = Parser(TargetMode.Mx).Parse("Example.ORG  # trailing comment", 3)!;
        Assert.Null(t.Error);
        Assert.Equal(TargetMode.Mx, t.Target!.Mode);
        Assert.Equal("example.org", t.Target.Name);
        Assert.Equal("example.org", t.Normalized);
        Assert.Equal(3, t.LineNumber);
    }

    [Fact]
    public void Parse_BareDomain_InheritsSrvServiceAndTls()
    {
        var t = Parser(TargetMode.Srv, "submissions", tls: true).Parse("example.net", 1)!;
        Assert.Equal(TargetMode.Srv, t.Target!.Mode);
        Assert.Equal("submissions", t.Request!.SrvService);
        Assert.True(t.Request!.TlsOnConnect);
    }

    [Theory]
    [InlineData("mx example.org", TargetMode.Mx, null, false, "example.org", null)]
    [InlineData("MX   example.org", TargetMode.Mx, null, false, "example.org", null)]
    [InlineData("submission example.net", TargetMode.Srv, "submission", false, "example.net", null)]
    [InlineData("submissions example.net", TargetMode.Srv, "submissions", true, "example.net", null)]
    [InlineData("srv _imaps example.com", TargetMode.Srv, "imaps", false, "example.com", null)]
    [InlineData("host mail.example.com:587", TargetMode.Host, null, false, "mail.example.com", 587)]
    [InlineData("host [2001:db8::25]:25", TargetMode.Host, null, false, "2001:db8::25", 25)]
    public void Parse_ModePrefix_OverridesCommandLine(string line, TargetMode mode, string? service, bool tls, string name, int? port)
    {
        var t = Parser(TargetMode.Host).Parse(line, 1)!;
        Assert.True(t.Error is null, t.Error);
        Assert.Equal(mode, t.Target!.Mode);
        Assert.Equal(service, t.Request!.SrvService);
        Assert.Equal(tls, t.Request!.TlsOnConnect);
        Assert.Equal(name, t.Target.Name);
        Assert.Equal(port, t.Target.Port);
    }

    [Theory]
    [InlineData("mx a.example b.example", "expected one target")]
    [InlineData("frobnicate example.org", "expected one target")]
    [InlineData("srv example.org", "expected one target")]
    [InlineData("srv -bad example.org", "invalid SRV service")]
    [InlineData("mx 192.0.2.1", "needs a domain name")]
    [InlineData("bad..name", "line 7")]
    public void Parse_BadLine_ErrorNamesLine(string line, string expected)
    {
        var t = Parser().Parse(line, 7)!;
        Assert.Null(t.Target);
        Assert.Contains(expected, t.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverLongLine_Error()
    {
        var t = Parser().Parse(new string('a', TargetFileParser.MaxLineLength + 1), 1)!;
        Assert.Null(t.Target);
        Assert.Contains("longer than", t.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HashInsideToken_NotAComment()
    {
        var t = Parser().Parse("a#b.example", 1)!;
        Assert.Null(t.Target);
        Assert.NotNull(t.Error);
    }

    [Fact]
    public async Task BoundedLineReader_LongLineTruncatedAndCrlfHandled()
    {
        var text = "one\r\n" + new string('x', 100_000) + "\ntwo";
        var reader = new BoundedLineReader(new StringReader(text));
        Assert.Equal("one", await reader.ReadLineAsync(CancellationToken.None));
        Assert.Equal(TargetFileParser.MaxLineLength + 1, (await reader.ReadLineAsync(CancellationToken.None))!.Length);
        Assert.Equal("two", await reader.ReadLineAsync(CancellationToken.None));
        Assert.Null(await reader.ReadLineAsync(CancellationToken.None));
    }
}
