using SmtpDane.Targets;

namespace SmtpDane.Tests.Targets;

public class SrvServiceNameTests
{
    [Theory]
    [InlineData("submission", true)]
    [InlineData("xmpp-server", true)]
    [InlineData("imap4", true)]
    [InlineData("", false)]
    [InlineData("-submission", false)]
    [InlineData("submission-", false)]
    [InlineData("sub_mission", false)]
    [InlineData("sub.mission", false)]
    [InlineData("süb", false)]
    public void IsValid_LettersDigitsInnerHyphens(string name, bool valid) =>
        Assert.Equal(valid, SrvServiceName.IsValid(name));

    [Fact]
    public void IsValid_AtMostOneDnsLabel()
    {
        Assert.True(SrvServiceName.IsValid(new string('a', 63)));
        Assert.False(SrvServiceName.IsValid(new string('a', 64)));
    }
}
