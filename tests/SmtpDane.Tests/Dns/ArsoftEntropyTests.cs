using SmtpDane.Dns;

namespace SmtpDane.Tests.Dns;

public class ArsoftEntropyTests
{
    /// <summary>Fails when an ARSoft upgrade renames the field: the swap (and its start-up saving) would be lost silently.</summary>
    [Fact]
    public void Install_CurrentArsoft_SwapsTheMessageIdGenerator()
    {
        Assert.True(ArsoftEntropy.Install());
        var message = new ARSoft.Tools.Net.Dns.DnsMessage();
        Assert.InRange(message.TransactionID, 1, 0xfffe);
    }
}
