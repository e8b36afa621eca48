using SmtpDane.Model;

namespace SmtpDane.Tests.Model;

public class DigestsTests
{
    // FIPS 180-2 appendix examples: the message "abc".
    [Theory]
    [InlineData("sha1", "a9993e364706816aba3e25717850c26c9cd0d89d")]
    [InlineData("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")]
    public void Hash_Abc_MatchesFipsVector(string algorithm, string expected)
    {
        var data = "abc"u8;
        var digest = algorithm switch
        {
            "sha1" => Digests.Sha1(data),
            "sha256" => Digests.Sha256(data),
            _ => Digests.Sha512(data),
        };
        Assert.Equal(expected, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Sha256_Empty_MatchesKnownDigest()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(Digests.Sha256([])));
    }
}
