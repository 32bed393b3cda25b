using BenchmarkDotNet.Attributes;
using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Benchmarks;

/// <summary>
/// Samples per second into a 10⁷-float tensor: NoiseLab's sampler against libtorch's
/// normal_ / uniform_ on the same tensor with the same thread count, and a plain fill_ / copy_ of
/// the same size as the memory-bandwidth bound. Targets: Gaussian ≥ 5× normal_, within 2× of the bound.
/// </summary>
[InProcess]
[WarmupCount(3)]
[IterationCount(15)]
public class GeneratorBenchmarks
{
    private const int Elements = 10_000_000;
    // The fill_ baseline's value, held for the process: a temporary Scalar could be freed by a collection mid-call.
    private static readonly Scalar FillValue = 0.5f.ToScalar();
    private Tensor _target = null!;
    private Tensor _source = null!;
    private readonly NoiseKey _key = new(12345, 0, 0);
    private long _draw;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(Threads);
        _target = empty(Elements);
        _source = ones(Elements);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _target.Dispose();
        _source.Dispose();
    }

    [Benchmark(Baseline = true, Description = "libtorch normal_")]
    public void TorchNormal() => _target.normal_();

    [Benchmark(Description = "NoiseLab Gaussian")]
    public void NoiseLabGaussian() => NoiseSampler.Fill_(_target, NoiseDistribution.Gaussian, 1f, _key.WithDraw(_draw++), Threads);

    [Benchmark(Description = "libtorch uniform_")]
    public void TorchUniform() => _target.uniform_(-1, 1);

    [Benchmark(Description = "NoiseLab uniform")]
    public void NoiseLabUniform() => NoiseSampler.Fill_(_target, NoiseDistribution.Uniform, 1f, _key.WithDraw(_draw++), Threads);

    [Benchmark(Description = "bound: fill_")]
    public void Fill() => _target.fill_(FillValue);

    [Benchmark(Description = "bound: copy_")]
    public void Copy() => _target.copy_(_source);
}
