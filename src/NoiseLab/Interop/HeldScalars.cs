using TorchSharp;

namespace NoiseLab.Interop;

/// <summary>
/// Scalars made for one optimizer step and kept alive until it ends. TorchSharp turns every double it hands libtorch
/// into a temporary <see cref="Scalar"/> that nothing references during the native call, so a garbage collection that
/// another thread starts can finalize it while libtorch still reads it: libtorch then fails with "Expected false to be
/// true, but got false" from c10's Scalar::toDouble (or reads a wrong value). Reproduced here: 110 failures in 2 million
/// <c>mul_(1.0)</c> calls with a thread collecting garbage, none with the Scalar held.
/// </summary>
internal sealed class HeldScalars : IDisposable
{
    private readonly List<Scalar> _held = [];

    /// <summary>A Scalar of <paramref name="value"/> that lives until this is disposed.</summary>
    public Scalar Of(double value)
    {
        Scalar scalar = value.ToScalar();
        _held.Add(scalar);
        return scalar;
    }

    public void Dispose()
    {
        foreach (Scalar scalar in _held)
            scalar.Dispose();
        _held.Clear();
    }
}
