using NoiseLab.Checkpoints;
using NoiseLab.Interop;
using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>
/// The usual CIFAR augmentation (seed 002): each training image is zero-padded by
/// <see cref="Padding"/> pixels, cropped back to its size at a random offset, and flipped left-right
/// with probability ½. Offsets and flips come from a generator seeded by the run seed, so a run
/// replays exactly; evaluation never passes through the step moments, so it sees the images as they are.
/// The generator outlives the end of training (the next start replaces it): the run's final state, and with it
/// the fingerprint a result carries, includes where it stopped.
/// </summary>
public sealed class RandomCropFlip(int padding = 4) : TrainingCallback
{
    private Generator? _generator;

    /// <summary>Pixels of zero padding on each side before cropping.</summary>
    public int Padding { get; } = padding >= 0 ? padding : throw new ArgumentOutOfRangeException(nameof(padding), padding, "Padding must be >= 0.");

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _generator?.Dispose();
        _generator = new Generator(SeedDerivation.Derive(context.Options.Seed, "augment/crop-flip"));
    }

    /// <inheritdoc />
    public override string? StateKey => "augment/crop-flip";

    /// <inheritdoc />
    public override void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        GeneratorState.Write(writer, _generator ?? throw new InvalidOperationException("The augmentation has not started."));
    }

    /// <inheritdoc />
    public override void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        GeneratorState.Read(reader, _generator ?? throw new InvalidOperationException("The augmentation has not started."));
    }

    /// <inheritdoc />
    public override void OnStepStart(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Model.training || context.Inputs is not { } images || _generator is null)
            return;
        if (images.dim() != 4)
            throw new InvalidOperationException($"Random crop and flip need image batches [N, C, H, W]; the batch is [{string.Join(", ", images.shape)}].");
        context.Inputs = Apply(images, Padding, _generator);
    }

    /// <summary>Crops and flips <paramref name="images"/> [N, C, H, W] with offsets and flips drawn from <paramref name="generator"/>.</summary>
    public static Tensor Apply(Tensor images, int padding, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(images);
        long n = images.shape[0], channels = images.shape[1], height = images.shape[2], width = images.shape[3];
        using var scope = NewDisposeScope();
        Tensor padded = nn.functional.pad(images, [padding, padding, padding, padding]);
        Tensor offsets = randint(0, 2 * padding + 1, [n, 2], generator: generator);
        Tensor flips = randint(0, 2, [n], generator: generator);
        // Two gathers for the whole batch instead of a crop per image: output row r of image i is padded row
        // y_i + r, and output column c is padded column x_i + c, or x_i + (W − 1 − c) where the image is flipped.
        using Scalar heightScalar = height.ToScalar(), widthScalar = width.ToScalar(), lastColumn = (width - 1).ToScalar();
        Tensor rows = offsets.select(1, 0).unsqueeze(1).add(arange(heightScalar, dtype: ScalarType.Int64), ScalarConstants.One);
        Tensor columns = arange(widthScalar, dtype: ScalarType.Int64).unsqueeze(0).expand(n, width);
        Tensor mirrored = columns.neg().add(lastColumn, ScalarConstants.One);
        columns = where(flips.unsqueeze(1).eq(ScalarConstants.One), mirrored, columns).add(offsets.select(1, 1).unsqueeze(1), ScalarConstants.One);
        Tensor cropped = padded.gather(2, rows.view(n, 1, height, 1).expand(n, channels, height, padded.shape[3]));
        return cropped.gather(3, columns.view(n, 1, 1, width).expand(n, channels, height, width)).MoveToOuterDisposeScope();
    }
}
