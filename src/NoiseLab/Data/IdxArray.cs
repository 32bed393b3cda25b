namespace NoiseLab.Data;

/// <summary>An n-dimensional array of unsigned bytes as stored in an IDX file (MNIST's format).</summary>
/// <param name="Shape">The dimensions, outermost first (e.g. [60000, 28, 28]).</param>
/// <param name="Data">The elements in row-major order; its length is the product of <paramref name="Shape"/>.</param>
public sealed record IdxArray(int[] Shape, byte[] Data)
{
    /// <summary>Number of items along the first dimension (samples).</summary>
    public int Count => Shape[0];

    /// <summary>The dimensions of one item (e.g. [28, 28] for an image file, [] for a label file).</summary>
    public ReadOnlySpan<int> ItemShape => Shape.AsSpan(1);
}
