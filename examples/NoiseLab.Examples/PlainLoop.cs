using NoiseLab.Data;
using NoiseLab.Noise;
using NoiseLab.Optimization;
using NoiseLab.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Examples;

/// <summary>
/// A training loop written the way a TorchSharp user writes one (own model, own optimizer, own batches),
/// with NoiseLab's noise called at the moments of the step where it belongs. Its keys are the ones
/// NoiseLab's Trainer uses (<see cref="NoiseKey.ForInjector"/>) and it shuffles as the Trainer does, so
/// the same seed gives the Trainer's weights bit for bit.
/// </summary>
public sealed class PlainLoop : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _sgd;
    private readonly optim.Optimizer _optimizer;
    private readonly LoopNoise _noise;
    private readonly long _seed;
    private readonly Generator _shuffle;
    private readonly WeightPerturber? _perturber;
    private readonly AnticorrelatedPerturbation? _antiPgd;
    private readonly EmbeddingNoiseHook? _embeddingNoise;
    private readonly IReadOnlyList<Parameter> _parameters;

    /// <summary>Prepares the loop: SGD at <paramref name="learningRate"/>, wrapped for gradient noise when it is on.</summary>
    public PlainLoop(nn.Module<Tensor, Tensor> model, double learningRate, LoopNoise noise, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(noise);
        _model = model;
        _noise = noise;
        _seed = seed;
        _parameters = [.. model.parameters()];
        // TorchSharp's SGD, bit for bit, with the Scalars of its step held: TorchSharp's own leaves them to the
        // finalizer, which a collection on another thread can run while libtorch reads them.
        _sgd = new SafeSgd(model.parameters(), learningRate);
        // Gradient noise lives inside step(): clip → add noise → SGD's step.
        _optimizer = noise.Gradient is double gradientSigma
            ? new GradientNoiseOptimizer(_sgd, NoiseSettings.Gaussian(gradientSigma), NoiseKey.ForInjector(seed, "gradient"))
            : _sgd;
        if (noise.BeforeGradient is not null)
        {
            _perturber = new WeightPerturber(model, NoiseDistribution.Gaussian, NoiseKey.ForInjector(seed, "perturb"),
                noise.Layerwise ? PerturbationScope.Layerwise : PerturbationScope.All);
        }
        if (noise.AntiPgd is not null)
            _antiPgd = new AnticorrelatedPerturbation(_parameters, NoiseDistribution.Gaussian, NoiseKey.ForInjector(seed, "anti"));
        // NEFTune: a hook on the model's embedding layer, live in training mode; the loop advances its step.
        if (noise.Embedding is double alpha)
            _embeddingNoise = new EmbeddingNoiseHook(model, NoiseSettings.Uniform(alpha), NoiseKey.ForInjector(seed, "embedding"), neftuneScaling: true);
        _shuffle = new Generator(SeedDerivation.Derive(seed, "shuffle"));
    }

    /// <summary>Optimizer steps taken.</summary>
    public long Step { get; private set; }

    /// <summary>The optimizer the loop steps (the noise wrapper when gradient noise is on).</summary>
    public optim.Optimizer Optimizer => _optimizer;

    /// <summary>The Anti-PGD perturbation, when it is on (its state must travel with a checkpoint).</summary>
    public AnticorrelatedPerturbation? AntiPgd => _antiPgd;

    /// <summary>One epoch of shuffled minibatches of <paramref name="batchSize"/>; returns the mean training loss.</summary>
    public double TrainEpoch(InMemoryDataset train, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(train);
        _model.train();
        using Tensor order = randperm(train.Count, generator: _shuffle);
        double lossSum = 0;
        for (int start = 0; start < train.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var (inputs, targets) = train.Gather(order.narrow(0, start, Math.Min(batchSize, train.Count - start)));
            if (_noise.Input is double inputSigma)
                inputs = NoiseFunctional.AddNoise(inputs, NoiseDistribution.Gaussian, inputSigma, NoiseKey.ForInjector(_seed, "input").WithDraw(Step));

            _embeddingNoise?.Step = Step;
            _optimizer.zero_grad();
            // Perturbed descent: the gradient is taken at w + ξ; leaving the block puts w back exactly.
            using (_perturber?.Apply(Step, _noise.BeforeGradient ?? 0, batchNormInputs: inputs))
            {
                Tensor loss = nn.functional.cross_entropy(_model.call(inputs), targets);
                loss.backward();
                lossSum += loss.ToDouble() * inputs.shape[0];
            }
            _optimizer.step();

            if (_noise.KeptWeight is double weightSigma)
                NoiseFunctional.AddWeightNoise(_parameters, NoiseDistribution.Gaussian, weightSigma, NoiseKey.ForInjector(_seed, "weight"), Step);
            _antiPgd?.Step(Step, _noise.AntiPgd ?? 0);
            Step++;
        }
        return lossSum / train.Count;
    }

    /// <summary>Frees the optimizer, the perturbation buffers, the hook and the shuffle generator (not the model).</summary>
    public void Dispose()
    {
        _perturber?.Dispose();
        _antiPgd?.Dispose();
        _embeddingNoise?.Dispose();
        _sgd.Dispose();
        _shuffle.Dispose();
    }
}
