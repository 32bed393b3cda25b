using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Experiments;

/// <summary>Where a run trains and in which dtype, read from the command line (<c>--device</c>, <c>--dtype</c>) or a sweep spec (<c>device:</c>, <c>dtype:</c>).</summary>
public static class RunPlacement
{
    /// <summary>
    /// <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>, lower-cased; checked before anything loads: a CUDA device needs a
    /// CUDA libtorch and a GPU. <paramref name="name"/> is the option or key the text came from, for the message.
    /// </summary>
    /// <exception cref="ArgumentException">Another device, or CUDA without a CUDA libtorch and a GPU.</exception>
    public static string Device(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        string device = text.Trim().ToLowerInvariant();
        bool cuda = device == "cuda" || (device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device[5..], out int index) && index >= 0);
        if (device != "cpu" && !cuda)
            throw new ArgumentException($"{name} must be cpu, cuda or cuda:N; got '{text}'.");
        if (cuda && !torch.cuda.is_available())
            throw new ArgumentException($"{name} {device} needs a CUDA build of libtorch and a GPU, and this process has neither (it carries libtorch-cpu); train on cpu, or build NoiseLab against a CUDA libtorch package.");
        return device;
    }

    /// <summary>float32 (also <c>float</c>) or float64 (also <c>double</c>).</summary>
    /// <exception cref="ArgumentException">Another dtype.</exception>
    public static ScalarType DType(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "float32" or "float" => ScalarType.Float32,
            "float64" or "double" => ScalarType.Float64,
            _ => throw new ArgumentException($"{name} must be float32 or float64; got '{text}'."),
        };
    }
}
