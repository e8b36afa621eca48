using SmtpDane.Batch;

namespace SmtpDane.Tests.Batch;

public class ShardSpecTests
{
    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void Fnv1a64_KnownVectors_Match(string text, ulong expected) =>
        Assert.Equal(expected, ShardSpec.Fnv1a64(text));

    [Fact]
    public void Fnv1a64_LongInput_SameAsShortPath()
    {
        var s = new string('z', 1000);
        Assert.Equal(ShardSpec.Fnv1a64(s), ShardSpec.Fnv1a64(string.Concat(s.AsSpan(0, 500), s.AsSpan(500))));
    }

    [Fact]
    public void Contains_EveryLineInExactlyOneShard()
    {
        var shards = Enumerable.Range(1, 7).Select(k => new ShardSpec(k, 7)).ToArray();
        for (var i = 0; i < 2000; i++)
        {
            var line = $"mx domain{i}.example";
            Assert.Equal(1, shards.Count(s => s.Contains(line)));
        }
    }

    [Fact]
    public void Contains_RoughlyUniform()
    {
        const int n = 8, lines = 80_000;
        var counts = new int[n];
        for (var i = 0; i < lines; i++)
        {
            var line = $"example{i}.org";
            counts[(int)(ShardSpec.Fnv1a64(line) % n)]++;
        }

        // Expected 10,000 each; allow ±5 %.
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Theory]
    [InlineData("1/1", 1, 1)]
    [InlineData("3/8", 3, 8)]
    public void TryParse_Valid(string text, int k, int n)
    {
        Assert.True(ShardSpec.TryParse(text, out var shard, out _));
        Assert.Equal(new ShardSpec(k, n), shard);
    }

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("1/0")]
    [InlineData("a/b")]
    [InlineData("1")]
    [InlineData("-1/4")]
    [InlineData("1/2000000")]
    public void TryParse_Invalid(string text) =>
        Assert.False(ShardSpec.TryParse(text, out _, out _));
}
