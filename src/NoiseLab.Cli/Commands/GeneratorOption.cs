using System.CommandLine;
using NoiseLab.Randomness;

namespace NoiseLab.Cli.Commands;

/// <summary><c>--generator NAME</c>: the noise generator a run draws with, shared by train, tune and sweep.</summary>
internal static class GeneratorOption
{
    /// <summary>The option, with the generators listed in its help.</summary>
    public static Option<string?> Create() => new("--generator")
    {
        Description = $"The noise generator, which fixes the noise's bits: {NoiseGenerator.KnownNames}. Select the one a store or checkpoint was made with to replay or continue it.",
        HelpName = "NAME",
    };

    /// <summary>The generator <paramref name="name"/> names; null when the option was not given.</summary>
    /// <exception cref="UsageException">No generator has that name.</exception>
    public static NoiseGenerator? Parse(string? name) =>
        name is null ? null
            : NoiseGenerator.TryFind(name, out NoiseGenerator generator) ? generator
            : throw new UsageException($"--generator: there is no noise generator '{NoiseLab.Experiments.DataSetNames.Shorten(name)}'; the generators are {NoiseGenerator.KnownNames}.");
}
