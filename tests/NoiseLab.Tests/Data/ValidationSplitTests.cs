using NoiseLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Data;

public sealed class ValidationSplitTests
{
    private static InMemoryDataset Numbered(int count) =>
        new(arange(count, dtype: ScalarType.Float32).reshape(count, 1), arange(count, dtype: ScalarType.Int64));

    [Fact]
    public void Splits_are_disjoint_cover_everything_and_keep_file_order()
    {
        using var full = Numbered(100);

        var (train, validation) = new ValidationSplit(Size: 30, Seed: 5).Apply(full);
        using (train)
        using (validation)
        {
            long[] trainIds = train.Targets.data<long>().ToArray();
            long[] validationIds = validation.Targets.data<long>().ToArray();
            Assert.Equal(70, trainIds.Length);
            Assert.Equal(30, validationIds.Length);
            Assert.Empty(trainIds.Intersect(validationIds));
            Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), trainIds.Concat(validationIds).Order());
            Assert.Equal(trainIds.Order(), trainIds);
            // Features travel with their targets.
            Assert.Equal(trainIds.Select(i => (float)i), train.Features.flatten().data<float>().ToArray());
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        using var full = Numbered(1000);

        long[] Ids(long seed)
        {
            var (train, validation) = new ValidationSplit(100, seed).Apply(full);
            using (train)
            using (validation)
                return validation.Targets.data<long>().ToArray();
        }

        Assert.Equal(Ids(3), Ids(3));
        Assert.NotEqual(Ids(3), Ids(4));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void A_size_that_leaves_nothing_to_train_on_is_refused(int size)
    {
        using var full = Numbered(10);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ValidationSplit(size).Apply(full));

        Assert.StartsWith("The validation size must be between 1 and 9 (the training file holds 10 samples).", error.Message, StringComparison.Ordinal);
    }
}
