// NoiseLab without its Trainer: plain TorchSharp loops that use a noise layer, the gradient-noise
// optimizer wrapper, perturbed descent before the step (layerwise), Anti-PGD and NEFTune embedding
// noise, and save and resume the noise state beside the model's and the optimizer's.
//
//   dotnet run --project examples/NoiseLab.Examples -c Release -- [--limit 20000] [--epochs 2]
using NoiseLab.Data;
using NoiseLab.Examples;
using NoiseLab.Models;
using NoiseLab.Noise;
using TorchSharp;
using static TorchSharp.torch;

int limit = OptionOr(args, "--limit", 20_000);
int epochs = OptionOr(args, "--epochs", 2);
const long seed = 0;

// --- Fashion-MNIST: an MLP behind an input noise layer, trained by a plain loop. ---
using DataSplits images = DataSetCatalog.Load("fashion-mnist", new DataOptions { LimitTrain = limit, Validation = new ValidationSplit(Size: 1000) });
manual_seed(seed);
using var model = nn.Sequential(
    ("noise", new GaussianNoise(sigma: 0.1)),
    ("mlp", new Mlp(784, [256], 10)));
var noise = new LoopNoise { Gradient = 1e-3, BeforeGradient = 3e-3, Layerwise = true, AntiPgd = 1e-3 };
using (var loop = new PlainLoop(model, learningRate: 0.1, noise, seed))
{
    for (int epoch = 0; epoch < epochs; epoch++)
        Console.WriteLine($"fashion-mnist epoch {epoch + 1}: train loss {loop.TrainEpoch(images.Train, batchSize: 128):F4}, validation accuracy {Accuracy(model, images.Validation):P2}");

    // Save what continuing needs: the model (the noise layer's stream travels in its buffer), the optimizer
    // wrapper (its step count and SGD's state) and Anti-PGD's last draw; then resume into fresh objects.
    using var saved = new MemoryStream();
    using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true))
    {
        model.save(writer);
        ((GradientNoiseOptimizer)loop.Optimizer).save_state_dict(writer);
        loop.AntiPgd!.CaptureState().Write(writer);
    }
    saved.Position = 0;
    using var reader = new BinaryReader(saved);
    model.load(reader);
    ((GradientNoiseOptimizer)loop.Optimizer).load_state_dict(reader);
    loop.AntiPgd!.RestoreState(NoiseInjectorState.Read(reader));
    Console.WriteLine($"resumed at noise-layer draw {((GaussianNoise)model[0]).Draws}, optimizer step {((GradientNoiseOptimizer)loop.Optimizer).Steps}");
}
model.eval();
Console.WriteLine($"fashion-mnist test accuracy {Accuracy(model, images.Test):P2} (eval mode: no noise)");

// --- A token model with NEFTune noise on its embeddings, attached as a hook to a model it does not edit. ---
using DataSplits tokens = DataSetCatalog.Load("synthetic:majority", new DataOptions { Validation = new ValidationSplit(Size: 200) });
using var classifier = ModelRegistry.Create(ModelSpec.Parse("transformer"), new ModelShape(tokens.SampleShape, tokens.Outputs, tokens.VocabularySize), seed);
using (var tokenLoop = new PlainLoop(classifier, learningRate: 0.1, new LoopNoise { Embedding = 5.0 }, seed))
{
    for (int epoch = 0; epoch < epochs; epoch++)
        Console.WriteLine($"synthetic majority epoch {epoch + 1}: train loss {tokenLoop.TrainEpoch(tokens.Train, batchSize: 64):F4}, validation accuracy {Accuracy(classifier, tokens.Validation):P2}");
}

static double Accuracy(nn.Module<Tensor, Tensor> model, InMemoryDataset data)
{
    bool wasTraining = model.training;
    model.eval();
    using var noGrad = no_grad();
    using var scope = NewDisposeScope();
    var (inputs, targets) = data.Slice(0, data.Count);
    double accuracy = model.call(inputs).argmax(1).eq(targets).to_type(ScalarType.Float32).mean().ToDouble();
    model.train(wasTraining);
    return accuracy;
}

static int OptionOr(string[] args, string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out int value) && value > 0 ? value : fallback;
}
