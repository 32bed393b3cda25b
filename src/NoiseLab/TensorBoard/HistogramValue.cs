using NoiseLab.Interop;
using Tensorboard;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.TensorBoard;

/// <summary>
/// One histogram of a summary, as TensorBoard's <c>HistogramProto</c> stores it: the count, range, sum and sum of
/// squares of the values, and bucket i holding <see cref="BucketCounts"/>[i] values in
/// (<see cref="BucketLimits"/>[i - 1], <see cref="BucketLimits"/>[i]], the first bucket starting at <see cref="Min"/>.
/// </summary>
/// <param name="Tag">The chart's name, e.g. <c>weights/fc1.weight</c>.</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
/// <param name="Count">How many values.</param>
/// <param name="Sum">Their sum.</param>
/// <param name="SumOfSquares">The sum of their squares.</param>
/// <param name="BucketLimits">Each bucket's right edge, ascending; the last is <see cref="Max"/>.</param>
/// <param name="BucketCounts">How many values fall into each bucket.</param>
public sealed record HistogramValue(string Tag, double Min, double Max, double Count, double Sum, double SumOfSquares,
    IReadOnlyList<double> BucketLimits, IReadOnlyList<double> BucketCounts)
{
    /// <summary>The default number of equal-width buckets.</summary>
    public const int DefaultBuckets = 30;

    /// <summary>
    /// The histogram of <paramref name="values"/> (any shape, dtype or device; read in float64 on the CPU) in
    /// <paramref name="buckets"/> equal-width buckets between its minimum and maximum. Values that are not finite
    /// are left out, as TensorBoard cannot chart them; a tensor of one repeated value gives a single bucket.
    /// </summary>
    public static HistogramValue Of(string tag, Tensor values, int buckets = DefaultBuckets)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(buckets);
        using var scope = NewDisposeScope();
        Tensor flat = values.detach().flatten().to(ScalarType.Float64, CPU);
        flat = flat.index(flat.isfinite());
        long count = flat.numel();
        if (count == 0)
            return new HistogramValue(tag, 0, 0, 0, 0, 0, [], []);
        double min = flat.min().ToDoubleHeld(), max = flat.max().ToDoubleHeld();
        double sum = flat.sum().ToDoubleHeld(), sumOfSquares = flat.pow(ScalarConstants.Two).sum().ToDoubleHeld();
        if (min == max)
            return new HistogramValue(tag, min, max, count, sum, sumOfSquares, [max], [count]);
        double width = (max - min) / buckets;
        // Bucket i holds (min + i·width, min + (i+1)·width]; the maximum itself belongs to the last bucket.
        using Scalar low = min.ToScalar(), step = width.ToScalar(), last = (buckets - 1).ToScalar();
        Tensor index = flat.sub(low).div_(step).ceil_().sub_(ScalarConstants.One).clamp_(ScalarConstants.Zero, last).to(ScalarType.Int64);
        double[] counts = [.. index.bincount(null, buckets).data<long>().ToArray().Select(c => (double)c)];
        double[] limits = [.. Enumerable.Range(1, buckets).Select(i => i == buckets ? max : min + i * width)];
        return new HistogramValue(tag, min, max, count, sum, sumOfSquares, limits, counts);
    }

    /// <summary>Histograms are equal when their figures and buckets, in order, are.</summary>
    public bool Equals(HistogramValue? other) =>
        other is not null && Tag == other.Tag && Min.Equals(other.Min) && Max.Equals(other.Max) && Count.Equals(other.Count)
        && Sum.Equals(other.Sum) && SumOfSquares.Equals(other.SumOfSquares)
        && BucketLimits.SequenceEqual(other.BucketLimits) && BucketCounts.SequenceEqual(other.BucketCounts);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Tag, Min, Max, Count, BucketLimits.Count);

    internal HistogramProto ToProto()
    {
        var proto = new HistogramProto { Min = Min, Max = Max, Num = Count, Sum = Sum, SumSquares = SumOfSquares };
        proto.BucketLimit.AddRange(BucketLimits);
        proto.Bucket.AddRange(BucketCounts);
        return proto;
    }

    internal static HistogramValue FromProto(string tag, HistogramProto proto) =>
        new(tag, proto.Min, proto.Max, proto.Num, proto.Sum, proto.SumSquares, [.. proto.BucketLimit], [.. proto.Bucket]);
}
