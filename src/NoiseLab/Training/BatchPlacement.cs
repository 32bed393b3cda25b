using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>
/// Where a model's batches must go: the device of its parameters, and their floating dtype for
/// floating-point inputs and targets (token ids and class labels keep theirs). Data sets are held
/// as float32 on the CPU, so a float32 CPU model gets its batches untouched.
/// </summary>
internal readonly struct BatchPlacement
{
    private readonly ScalarType _dtype;
    private readonly Device _device;

    private BatchPlacement(ScalarType dtype, Device device) => (_dtype, _device) = (dtype, device);

    /// <summary>The placement of <paramref name="model"/>'s first floating-point parameter; float32 on the CPU for a model without one.</summary>
    public static BatchPlacement Of(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Tensor? first = model.parameters().FirstOrDefault(p => p.is_floating_point());
        return first is null ? new(ScalarType.Float32, CPU) : new(first.dtype, first.device);
    }

    /// <summary><paramref name="batch"/> on the model's device and, when floating, in its dtype; the same tensor when nothing changes.</summary>
    public Tensor Place(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Tensor placed = batch;
        if (placed.is_floating_point() && placed.dtype != _dtype)
            placed = placed.to_type(_dtype);
        if (placed.device_type != _device.type || placed.device_index != _device.index && _device.type != DeviceType.CPU)
            placed = placed.to(_device);
        return placed;
    }
}
