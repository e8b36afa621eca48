using SmtpDane.Model;

namespace SmtpDane.Tests.Model;

public class OsEntropyTests
{
    [Fact]
    public void Fill_LargeBuffer_FillsEveryPartAndDiffersBetweenCalls()
    {
        var a = new byte[4096];
        var b = new byte[4096];
        OsEntropy.Fill(a);
        OsEntropy.Fill(b);

        Assert.False(a.AsSpan().SequenceEqual(b));
        // 4,096 random bytes: each 256-byte slice all zero has probability 2^-2048.
        for (var i = 0; i < a.Length; i += 256)
        {
            Assert.Contains(a.Skip(i).Take(256), x => x != 0);
        }
    }

    [Fact]
    public void NextUInt16_ManyDraws_AreNotConstant()
    {
        var seen = new HashSet<ushort>();
        for (var i = 0; i < 64; i++)
        {
            seen.Add(OsEntropy.NextUInt16());
        }

        Assert.True(seen.Count > 32, $"only {seen.Count} distinct ids in 64 draws");
    }

    [Fact]
    public void KernelRandomGenerator_NextBytesWithOffset_WritesOnlyTheRange()
    {
        var buffer = new byte[64];
        KernelRandomGenerator.Instance.NextBytes(buffer, 16, 32);

        Assert.All(buffer[..16], x => Assert.Equal(0, x));
        Assert.All(buffer[48..], x => Assert.Equal(0, x));
        Assert.Contains(buffer[16..48], x => x != 0);
    }
}
