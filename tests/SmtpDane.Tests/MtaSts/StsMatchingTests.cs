using SmtpDane.Certificates;
using SmtpDane.Model;
using SmtpDane.MtaSts;

namespace SmtpDane.Tests.MtaSts;

public class StsMatchingTests
{
    [Theory]
    [InlineData("mail.example.com", "mail.example.com", true)]
    [InlineData("mail.example.com", "MAIL.example.com.", true)]
    [InlineData("*.example.com", "mx1.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "a.b.example.com", false)]
    [InlineData("mail.example.com", "mail.example.net", false)]
    public void MxMatcher_Rfc8461Section41(string pattern, string host, bool expected) =>
        Assert.Equal(expected, StsMxMatcher.Matches(pattern, host));

    [Theory]
    [InlineData("mx.example.com", "mx.example.com", true)]
    [InlineData("*.example.com", "mx.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "a.mx.example.com", false)]
    [InlineData("m*.example.com", "mx.example.com", false)]
    [InlineData("*.com", "example.com", false)]
    [InlineData("mx.*.com", "mx.example.com", false)]
    public void WebPkiNameMatcher_Rfc6125WholeLeftmostLabelOnly(string san, string host, bool expected) =>
        Assert.Equal(expected, WebPkiNameMatcher.Matches([san], host));

    [Theory]
    [InlineData("v=STSv1; id=20160831085700Z;", TxtOutcome.Valid, "20160831085700Z")]
    [InlineData("v=STSv1;id=abc", TxtOutcome.Valid, "abc")]
    [InlineData("v=STSv1; id=abc; ext=1", TxtOutcome.Valid, "abc")]
    [InlineData("v=STSv1; id=has-hyphen", TxtOutcome.Invalid, null)]
    [InlineData("v=STSv1; id=123456789012345678901234567890123", TxtOutcome.Invalid, null)]
    [InlineData("v=STSv1", TxtOutcome.Invalid, null)]
    [InlineData("v=spf1 -all", TxtOutcome.None, null)]
    public void StsTxt_Select(string record, TxtOutcome outcome, string? id)
    {
        var s = StsTxtRecord.Select(["unrelated", record]);

        Assert.Equal(outcome, s.Outcome);
        Assert.Equal(id, s.Value);
    }

    [Fact]
    public void StsTxt_TwoRecords_Invalid() =>
        Assert.Equal(TxtOutcome.Invalid, StsTxtRecord.Select(["v=STSv1; id=a", "v=STSv1; id=b"]).Outcome);

    [Theory]
    [InlineData("v=TLSRPTv1; rua=mailto:tls@example.com", TxtOutcome.Valid)]
    [InlineData("v=TLSRPTv1;rua=mailto:a@example.com,https://r.example.com/tls", TxtOutcome.Valid)]
    [InlineData("v=TLSRPTv1; rua=ftp://r.example.com/", TxtOutcome.Invalid)]
    [InlineData("v=TLSRPTv1; rua=mailto:", TxtOutcome.Invalid)]
    [InlineData("v=TLSRPTv1;", TxtOutcome.Invalid)]
    [InlineData("v=DMARC1; p=none", TxtOutcome.None)]
    public void TlsRpt_Select(string record, TxtOutcome outcome) =>
        Assert.Equal(outcome, TlsRptRecord.Select([record]).Outcome);
}
