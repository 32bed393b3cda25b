using NoiseLab.Interop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NoiseLab.Models.Stacked;

/// <summary>
/// Dropout over [k, B, …] where replica r's mask comes from its own generator (<see cref="Generators"/>[r]),
/// drawn as libtorch's dropout draws it on the CPU (a Bernoulli(1 − p) mask of the replica's slice, divided by
/// 1 − p, times the input), so that with each generator in the state a single run's global generator would
/// be in, every replica's mask is that run's mask. The identity in eval mode.
/// </summary>
public sealed class StackedDropout : ParameterLessModule<Tensor, Tensor>
{
    private readonly Generator[] _generators;

    /// <summary>Creates dropout with probability <paramref name="probability"/> for <paramref name="width"/> replicas.</summary>
    public StackedDropout(double probability, int width) : base(nameof(StackedDropout))
    {
        if (!(probability > 0 && probability < 1))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The dropout probability must be in (0, 1).");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Probability = probability;
        _generators = [.. Enumerable.Range(0, width).Select(_ => new Generator(0))];
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double Probability { get; }

    /// <summary>Each replica's generator, seeded by the trainer as the single run seeds TorchSharp's global one.</summary>
    public IReadOnlyList<Generator> Generators => _generators;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!training)
            return input.alias();
        using var scope = NewDisposeScope();
        Tensor mask = empty_like(input);
        for (int r = 0; r < _generators.Length; r++)
        {
            using Tensor slice = mask[r];
            slice.bernoulli_(1 - Probability, _generators[r]);
        }
        using Scalar keep = (1 - Probability).ToScalar();
        mask.div_(keep);
        return input.mul(mask).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (Generator generator in _generators)
                generator.Dispose();
        }
        base.Dispose(disposing);
    }
}
