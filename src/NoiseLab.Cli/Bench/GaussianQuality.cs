using System.Globalization;
using NoiseLab.Randomness;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// The statistics of each generator's Gaussian noise on a sample too large for the test suite (10⁸ by
/// default): moments and tail frequencies to 6σ, each against N(0, 1) in standard errors
/// (<see cref="GaussianCheck"/>), drawn as training draws them, a tensor-sized key draw after another.
/// </summary>
internal static class GaussianQuality
{
    private const int DrawElements = 1 << 20;

    /// <summary>Draws <paramref name="samples"/> values per generator; records quality.GENERATOR.* and prints a table.</summary>
    public static void Run(long samples, BenchResults results, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(log);
        var buffer = new float[DrawElements];
        foreach (NoiseGenerator generator in NoiseGenerator.All)
        {
            using var scope = NoiseGenerator.Use(generator);
            var check = new GaussianCheck();
            var key = NoiseKey.ForInjector(20261201, "quality");
            for (long drawn = 0, draw = 0; drawn < samples; drawn += DrawElements, draw++)
            {
                Span<float> part = buffer.AsSpan(0, (int)Math.Min(DrawElements, samples - drawn));
                NoiseSampler.Fill(part, NoiseDistribution.Gaussian, 1f, key.WithTensor((int)(draw % 7)).WithDraw(draw), maxThreads: 2);
                check.Add(part);
            }
            string prefix = $"quality.{generator.Name.Replace('-', '_')}.";
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Gaussian quality: {generator.Name}, {check.Count:N0} samples, largest |z| {check.MaxAbs:F3}"));
            log.WriteLine($"{"figure",-18} {"value",14} {"N(0, 1)",14} {"std errors",11}");
            foreach (var (figure, value, expected, errors) in check.Deviations())
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{figure,-18} {value,14:G7} {expected,14:G7} {errors,11:F2}"));
                results.Add(prefix + figure, value);
                results.Add(prefix + figure + ".standard_errors", errors);
            }
            results.Add(prefix + "samples", check.Count);
            results.Add(prefix + "max_abs", check.MaxAbs);
            IReadOnlyList<string> failures = check.Failures(4);
            results.Add(prefix + "failures", failures.Count);
            foreach (string failure in failures)
                log.WriteLine($"  beyond 4 standard errors: {failure}");
        }
    }
}
