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
}
