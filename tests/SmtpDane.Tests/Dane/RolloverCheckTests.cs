using SmtpDane.Dane;
using SmtpDane.Findings;
using SmtpDane.Model;


namespace SmtpDane.Tests.Dane;

public class RolloverCheckTests
{
    private static readonly TlsaRecord Current = new(3, 1, 1, Enumerable.Repeat((byte)0x11, 32).ToArray());
    private static readonly TlsaRecord CurrentSha512 = new(3, 1, 2, Enumerable.Repeat((byte)0x12, 64).ToArray());
    private static readonly TlsaRecord Next = new(3, 1, 1, Enumerable.Repeat((byte)0x22, 32).ToArray());
    private static readonly TlsaRecord Issuer = new(2, 1, 1, Enumerable.Repeat((byte)0x33, 32).ToArray());

    private static DaneVerification Verified(params TlsaRecord[] matched) => new(true, [], [], matched);

    [Fact]
    public void Check_OnlyRecordMatchesToday_Warning()
    {
        var f = RolloverCheck.Check([Current], Verified(Current), [], "\"mx.example\"[192.0.2.1]:25");

        Assert.NotNull(f);
        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Equal(FindingCodes.DaneNoRolloverRoom, f.Code);
        Assert.Contains("3 1 1", f.Message, StringComparison.Ordinal);
        Assert.Contains("RFC 7671 section 8.1", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TwoDigestsOfTodaysKey_StillWarning() =>
        Assert.NotNull(RolloverCheck.Check([Current, CurrentSha512], Verified(Current, CurrentSha512), [], "x"));

    [Fact]
    public void Check_CurrentPlusNext_NoWarning() =>
        Assert.Null(RolloverCheck.Check([Current, Next], Verified(Current), [], "x"));

    [Fact]
    public void Check_CurrentPlusIssuer_NoWarning() =>
        Assert.Null(RolloverCheck.Check([Current, Issuer], Verified(Current), [], "x"));

    [Fact]
    public void Check_NotVerified_NoWarning() =>
        Assert.Null(RolloverCheck.Check([Current], new DaneVerification(false, [], [], []), [], "x"));
}
