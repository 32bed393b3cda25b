using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Interop;

/// <summary>
/// Reads of a one-element tensor's value with the Scalar that carries it held until the read ends. TorchSharp's
/// <c>ToDouble()</c> makes that Scalar and leaves it to the finalizer, which another thread's garbage collection can run
/// while libtorch still reads it (the same race as <see cref="HeldScalars"/>'s); these also free it at once.
/// </summary>
internal static class TensorValues
{
    /// <summary>The value of the one-element <paramref name="tensor"/>, as a double.</summary>
    public static double ToDoubleHeld(this Tensor tensor)
    {
        using Scalar value = tensor.ToScalar();
        return value.ToDouble();
    }

    /// <summary>The value of the one-element integer <paramref name="tensor"/>, as a long.</summary>
    public static long ToInt64Held(this Tensor tensor)
    {
        using Scalar value = tensor.ToScalar();
        return value.ToInt64();
    }
}
