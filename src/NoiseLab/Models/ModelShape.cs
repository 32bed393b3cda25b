namespace NoiseLab.Models;

/// <summary>What a model must fit: the shape of one input sample and the number of outputs.</summary>
/// <param name="SampleShape">One sample's shape without the batch dimension, e.g. [1, 28, 28].</param>
/// <param name="Outputs">Number of outputs, e.g. the number of classes.</param>
/// <param name="VocabularySize">For token inputs: the number of token ids (0 for real-valued inputs).</param>
public sealed record ModelShape(long[] SampleShape, int Outputs, int VocabularySize = 0)
{
    /// <summary>Number of input features once a sample is flattened.</summary>
    public long FlatInputs => SampleShape.Aggregate(1L, (a, b) => a * b);
}
