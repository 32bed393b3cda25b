using NoiseLab.Interop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>
/// A copy of a model's parameters taken at one moment, to measure how far they have moved since.
/// The buffers are allocated once and refilled by <see cref="Capture"/>, so measuring every epoch
/// costs no new parameter-sized allocation.
/// </summary>
public sealed class ParameterSnapshot : IDisposable
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly Tensor[] _copies;

    /// <summary>Allocates one buffer per parameter (filled with the current values).</summary>
    public ParameterSnapshot(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
        using (no_grad())
            _copies = [.. parameters.Select(CopyOf)];
    }

    // The detached view is held until the clone has read it: TorchSharp lets go of a tensor's wrapper once its handle
    // is passed on, so an unheld temporary can be finalized by a collection on another thread in mid-call.
    private static Tensor CopyOf(Parameter parameter)
    {
        using Tensor detached = parameter.detach();
        return detached.clone();
    }

    /// <summary>Copies the parameters' current values into the snapshot.</summary>
    public void Capture()
    {
        using (no_grad())
        {
            for (int i = 0; i < _copies.Length; i++)
                _copies[i].copy_(_parameters[i]);
        }
    }

    /// <summary>‖w_now − w_snapshot‖₂ over all parameters.</summary>
    public double DistanceToCurrent()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double sum = 0;
        for (int i = 0; i < _copies.Length; i++)
            sum += _parameters[i].sub(_copies[i]).pow(ScalarConstants.Two).sum().ToDoubleHeld();
        return Math.Sqrt(sum);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor copy in _copies)
            copy.Dispose();
    }
}
