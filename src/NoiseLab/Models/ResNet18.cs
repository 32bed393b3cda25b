using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NoiseLab.Models;

/// <summary>
/// ResNet-18 in its CIFAR form (the one seed 002 trains, 11,173,962 parameters with 10 classes): a
/// 3×3 stem without pooling, four stages of two basic blocks (64, 128, 256, 512 channels; stages 2–4
/// halve the resolution), global average pooling and a linear classifier. Global pooling makes it fit
/// any image size (on 32×32 it equals the original 4×4 average pool).
/// </summary>
public sealed class ResNet18 : Module<Tensor, Tensor>
{
    private readonly Conv2d _stem;
    private readonly BatchNorm2d _stemNorm;
    private readonly Sequential _stages;
    private readonly Linear _classifier;

    /// <summary>Creates the network for images of <paramref name="shape"/>.</summary>
    public ResNet18(ModelShape shape) : base(nameof(ResNet18))
    {
        ArgumentNullException.ThrowIfNull(shape);
        var image = ImageShape.From(shape, "resnet18");
        _stem = Conv2d(image.Channels, 64, 3, padding: 1, bias: false);
        _stemNorm = BatchNorm2d(64);
        var blocks = new List<(string, Module<Tensor, Tensor>)>();
        long channels = 64;
        foreach (var (width, stride, stage) in new[] { (64L, 1L, 1), (128L, 2L, 2), (256L, 2L, 3), (512L, 2L, 4) })
        {
            blocks.Add(($"layer{stage}_0", new ResidualBlock(channels, width, stride)));
            blocks.Add(($"layer{stage}_1", new ResidualBlock(width, width, 1)));
            channels = width;
        }
        _stages = Sequential(blocks);
        _classifier = Linear(512, shape.Outputs);
        register_module("conv1", _stem);
        register_module("bn1", _stemNorm);
        register_module("layers", _stages);
        register_module("fc", _classifier);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = functional.relu(_stemNorm.call(_stem.call(input)));
        x = _stages.call(x);
        x = functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return _classifier.call(x).MoveToOuterDisposeScope();
    }
}
