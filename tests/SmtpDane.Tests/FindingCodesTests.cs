using SmtpDane.Findings;

namespace SmtpDane.Tests;

public class FindingCodesTests
{
    [Fact]
    public void All_ListsEveryConstant_OnceEach()
    {
        var constants = typeof(FindingCodes).GetFields()
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(constants.Order(StringComparer.Ordinal), FindingCodes.All.Order(StringComparer.Ordinal));
        Assert.Equal(FindingCodes.All.Count, FindingCodes.All.Distinct().Count());
    }

    [Fact]
    public void All_CodesAreDottedLowerCase()
    {
        foreach (var code in FindingCodes.All)
        {
            Assert.Matches("^[a-z]+\\.[a-z-]+$", code);
        }
    }
}
