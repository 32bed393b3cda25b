using NoiseLab.Data;
using NoiseLab.Experiments;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Training;

public sealed class RandomCropFlipTests
{
    [Fact]
    public void Every_output_is_a_padded_crop_of_its_input_possibly_flipped_and_both_kinds_occur()
    {
        using Tensor images = rand(new long[] { 16, 3, 8, 8 }, generator: new Generator(1)).add_(0.1f);
        using var generator = new Generator(2);

        using Tensor output = RandomCropFlip.Apply(images, padding: 2, generator);

        using Tensor padded = nn.functional.pad(images, [2, 2, 2, 2]);
        int flipped = 0, shifted = 0;
        for (int i = 0; i < 16; i++)
        {
            var matches = (from dy in Enumerable.Range(0, 5)
                           from dx in Enumerable.Range(0, 5)
                           from flip in new[] { false, true }
                           let crop = padded[i].narrow(1, dy, 8).narrow(2, dx, 8)
                           where (flip ? crop.flip(2) : crop).eq(output[i]).all().item<bool>()
                           select (dy, dx, flip)).ToList();
            Assert.NotEmpty(matches);
            flipped += matches[0].flip ? 1 : 0;
            shifted += matches[0].dy != 2 || matches[0].dx != 2 ? 1 : 0;
        }
        Assert.InRange(flipped, 1, 15);
        Assert.True(shifted > 8);
    }

    [Fact]
    public void The_same_generator_seed_gives_the_same_augmentation()
    {
        using Tensor images = rand(4, 3, 8, 8);

        using Tensor a = RandomCropFlip.Apply(images, 4, new Generator(7));
        using Tensor b = RandomCropFlip.Apply(images, 4, new Generator(7));

        Assert.True(a.eq(b).all().item<bool>());
    }

    // The batch's two gathers give, bit for bit, the crop-and-flip of each image by the offsets and flips drawn in the
    // same order from the same generator (the per-image loop this replaced).
    [Theory]
    [InlineData(4, 3, 32, 32)]
    [InlineData(2, 1, 28, 28)]
    [InlineData(0, 3, 8, 5)]
    public void The_batched_augmentation_equals_cropping_and_flipping_each_image_with_the_same_draws(int padding, int channels, int height, int width)
    {
        using Tensor images = rand(new long[] { 33, channels, height, width }, generator: new Generator(3));

        using Tensor batched = RandomCropFlip.Apply(images, padding, new Generator(11));

        using var generator = new Generator(11);
        using Tensor padded = nn.functional.pad(images, [padding, padding, padding, padding]);
        long[] offsets = randint(0, 2 * padding + 1, [33, 2], generator: generator).data<long>().ToArray();
        long[] flips = randint(0, 2, [33], generator: generator).data<long>().ToArray();
        for (int i = 0; i < 33; i++)
        {
            using Tensor crop = padded[i].narrow(1, offsets[2 * i], height).narrow(2, offsets[2 * i + 1], width);
            using Tensor expected = flips[i] == 1 ? crop.flip(2) : crop.clone();
            Assert.True(expected.eq(batched[i]).all().item<bool>(), $"image {i} (offset {offsets[2 * i]}, {offsets[2 * i + 1]}, flip {flips[i]})");
        }
        Assert.Equal(new long[] { 33, channels, height, width }, batched.shape);
    }

    // A run with augmentation finishes with a result and its fingerprint (the final state includes the crop generator,
    // which once was disposed at the end of training, so that every augmented run failed as it finished), replays bit
    // for bit, and differs from the same run without augmentation.
    [Fact]
    public void An_augmented_run_finishes_with_its_fingerprint_and_replays_bit_for_bit()
    {
        var spec = new RunSpec
        {
            DataSet = MnistFamily.FashionMnist.Name,
            Data = new DataOptions { LimitTrain = 128, Validation = new ValidationSplit(Size: 64) },
            Model = ModelSpec.Parse("babycnn"),
            Optimizer = new OptimizerSpec(OptimizerKind.Momentum, 0.01),
            Augment = true,
            Trainer = new TrainerOptions { Epochs = 2, BatchSize = 32, Seed = 5 },
            Threads = 1,
        };
        using DataSplits data = DataSetCatalog.Load(spec.DataSet, spec.Data, log: null);

        TrainingResult first = RunExecutor.Execute(spec, data);
        TrainingResult again = RunExecutor.Execute(spec, data);
        TrainingResult plain = RunExecutor.Execute(spec with { Augment = false }, data);

        Assert.Matches("^[0-9a-f]{64}$", first.StateFingerprint);
        Assert.Equal(first.StateFingerprint, again.StateFingerprint);
        Assert.Equal(first.History, again.History);
        Assert.Equal(first.TestLoss, again.TestLoss);
        Assert.NotEqual(first.History[0].TrainLoss, plain.History[0].TrainLoss);
        Assert.NotEqual(first.StateFingerprint, plain.StateFingerprint);
    }
}
