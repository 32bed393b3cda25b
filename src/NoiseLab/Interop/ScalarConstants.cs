using TorchSharp;

namespace NoiseLab.Interop;

/// <summary>
/// Scalars that live for the whole process, for the constants NoiseLab hands libtorch on every step. A temporary Scalar
/// can be freed by another thread's garbage collection while libtorch reads it (see <see cref="HeldScalars"/>); these
/// are never collected, and libtorch only reads them, so every thread may share them.
/// </summary>
internal static class ScalarConstants
{
    /// <summary>0, e.g. for <c>masked_fill_</c> and comparisons.</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>1: the alpha of a plain <c>add</c>/<c>add_</c>, which TorchSharp would otherwise make as a temporary.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>2, e.g. for mapping {0, 1} draws onto {−1, 1}.</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>255: the grey levels of an 8-bit image.</summary>
    public static readonly Scalar GreyLevels = 255f.ToScalar();
}
