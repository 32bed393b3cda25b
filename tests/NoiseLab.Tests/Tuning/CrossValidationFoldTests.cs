using NoiseLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Tuning;

public sealed class CrossValidationFoldTests
{
    [Fact]
    public void The_k_folds_partition_the_pool_exactly_with_sizes_that_differ_by_at_most_one()
    {
        const int count = 103, k = 5;
        var validations = new List<long[]>();
        for (int i = 0; i < k; i++)
        {
            var (train, validation) = new CrossValidationFold(k, i, Seed: 7).Indices(count);
            validations.Add(validation);
            // Training is the rest of the pool, in pool order.
            Assert.Equal(Enumerable.Range(0, count).Select(j => (long)j).Except(validation), train);
            Assert.Equal(validation.Order(), validation);
        }

        Assert.Equal([21, 21, 21, 20, 20], validations.Select(v => v.Length));
        Assert.Equal(Enumerable.Range(0, count).Select(j => (long)j), validations.SelectMany(v => v).Order());
    }

    [Fact]
    public void The_same_seed_cuts_the_same_folds_and_another_seed_others()
    {
        long[] Fold(long seed) => new CrossValidationFold(4, 2, seed).Indices(1000).Validation;

        Assert.Equal(Fold(3), Fold(3));
        Assert.NotEqual(Fold(3), Fold(4));
    }

    [Fact]
    public void Features_travel_with_their_targets_into_the_fold()
    {
        using var pool = new InMemoryDataset(arange(10, dtype: ScalarType.Float32).mul(10).reshape(10, 1), arange(10, dtype: ScalarType.Int64));

        var (train, validation) = new CrossValidationFold(2, 1).Apply(pool);
        using (train)
        using (validation)
        {
            long[] ids = validation.Targets.data<long>().ToArray();
            Assert.Equal(5, ids.Length);
            Assert.Equal(ids.Select(i => i * 10f), validation.Features.flatten().data<float>().ToArray());
            Assert.Equal(5, train.Count);
        }
    }

    [Fact]
    public void The_catalog_makes_fold_i_of_the_trimmed_training_split_the_validation_split()
    {
        var options = new DataOptions { LimitTrain = 90 };
        using DataSplits plain = DataSetCatalog.Load("synthetic:adding:length=5,train=90", options);
        var fold = new CrossValidationFold(3, 1, Seed: 2);

        using DataSplits folded = DataSetCatalog.Load("synthetic:adding:length=5,train=90", options with { Fold = fold });

        var (trainIds, validationIds) = fold.Indices(90);
        Assert.Equal(30, folded.Validation.Count);
        Assert.Equal(60, folded.Train.Count);
        using Tensor validationIndex = tensor(validationIds), trainIndex = tensor(trainIds);
        using Tensor expectedValidation = plain.Train.Features.index_select(0, validationIndex);
        using Tensor expectedTrain = plain.Train.Features.index_select(0, trainIndex);
        Assert.Equal(expectedValidation.data<float>().ToArray(), folded.Validation.Features.data<float>().ToArray());
        Assert.Equal(expectedTrain.data<float>().ToArray(), folded.Train.Features.data<float>().ToArray());
        Assert.Equal(plain.Test.Features.data<float>().ToArray(), folded.Test.Features.data<float>().ToArray());
        Assert.True(folded.IsRegression);
        Assert.Equal(plain.TargetScale, folded.TargetScale);
    }

    [Fact]
    public void More_folds_than_training_samples_are_refused_in_one_sentence()
    {
        var error = Assert.Throws<ArgumentException>(() => new CrossValidationFold(12, 0).Indices(10));

        Assert.StartsWith("Cross-validation with 12 folds needs at least 12 training samples; the training split holds 10. (Parameter", error.Message, StringComparison.Ordinal);
    }
}
