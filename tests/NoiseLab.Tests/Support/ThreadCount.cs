using TorchSharp;

namespace NoiseLab.Tests.Support;

/// <summary>Sets TorchSharp's thread count until disposed, then puts the previous one back.</summary>
internal sealed class ThreadCount : IDisposable
{
    private readonly int _previous = torch.get_num_threads();

    public ThreadCount(int threads) => torch.set_num_threads(threads);

    public void Dispose() => torch.set_num_threads(_previous);
}
