using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NoiseLab.Models;

/// <summary>
/// Seed 002's three custom CNNs share one shape: 3×3 convolutions (padding 1), each followed by
/// ReLU and 2×2 max pooling, then fully connected layers with ReLU between them. Layers are named
/// conv1…, fc1…, so that noise can be attached by name. Sized for any image: the first linear
/// layer takes channels × ⌊H/2^k⌋ × ⌊W/2^k⌋ inputs.
/// </summary>
public class ConvStack : Module<Tensor, Tensor>
{
    private readonly Conv2d[] _convolutions;
    private readonly Linear[] _linears;

    /// <summary>Builds convolutions with <paramref name="channels"/> filters and linear layers with <paramref name="hidden"/> units.</summary>
    protected ConvStack(string name, ModelShape shape, IReadOnlyList<long> channels, IReadOnlyList<long> hidden) : base(name)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var image = ImageShape.From(shape, name);
        long inChannels = image.Channels, height = image.Height, width = image.Width;
        _convolutions = new Conv2d[channels.Count];
        for (int i = 0; i < channels.Count; i++)
        {
            _convolutions[i] = Conv2d(inChannels, channels[i], 3, padding: 1);
            register_module($"conv{i + 1}", _convolutions[i]);
            (inChannels, height, width) = (channels[i], height / 2, width / 2);
        }
        if (height == 0 || width == 0)
            throw new ArgumentException($"{name} pools {channels.Count} times by 2; images of {image.Height}×{image.Width} are too small.", nameof(shape));

        long features = inChannels * height * width;
        long[] widths = [.. hidden, shape.Outputs];
        _linears = new Linear[widths.Length];
        for (int i = 0; i < widths.Length; i++)
        {
            _linears[i] = Linear(features, widths[i]);
            register_module($"fc{i + 1}", _linears[i]);
            features = widths[i];
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = input;
        foreach (Conv2d convolution in _convolutions)
            x = functional.max_pool2d(functional.relu(convolution.call(x)), 2);
        x = x.flatten(1);
        for (int i = 0; i < _linears.Length; i++)
        {
            x = _linears[i].call(x);
            if (i < _linears.Length - 1)
                x = functional.relu(x);
        }
        return x.MoveToOuterDisposeScope();
    }
}

/// <summary>Seed 002's BabyCNN: conv 3→8, then linear 2048→10 on CIFAR-10 (20,714 parameters).</summary>
public sealed class BabyCnn(ModelShape shape) : ConvStack(nameof(BabyCnn), shape, [8], []);

/// <summary>Seed 002's TinyCNN: conv 3→32→64, linear 4096→128→10 on CIFAR-10 (545,098 parameters).</summary>
public sealed class TinyCnn(ModelShape shape) : ConvStack(nameof(TinyCnn), shape, [32, 64], [128]);

/// <summary>Seed 002's SimpleCNN: conv 3→256→512→512, linear 8192→2048→1024→512→10 on CIFAR-10 (22,954,506 parameters).</summary>
public sealed class SimpleCnn(ModelShape shape) : ConvStack(nameof(SimpleCnn), shape, [256, 512, 512], [2048, 1024, 512]);
