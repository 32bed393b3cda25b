using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>What a task optimizes and how it scores a batch: the loss, and the number of correct predictions.</summary>
public abstract class Objective
{
    /// <summary>The mean loss of a batch (a scalar tensor that backward can run through).</summary>
    public abstract Tensor Loss(Tensor output, Tensor target);

    /// <summary>How many predictions in the batch are correct.</summary>
    public abstract long CountCorrect(Tensor output, Tensor target);
}

/// <summary>Classification over logits [batch, classes] with class-index targets: cross-entropy and top-1 accuracy.</summary>
public sealed class ClassificationObjective : Objective
{
    /// <inheritdoc />
    public override Tensor Loss(Tensor output, Tensor target) => nn.functional.cross_entropy(output, target);

    /// <inheritdoc />
    public override long CountCorrect(Tensor output, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(output);
        using Tensor predicted = output.argmax(1);
        using Tensor hits = predicted.eq(target);
        using Tensor count = hits.sum();
        return count.item<long>();
    }
}
