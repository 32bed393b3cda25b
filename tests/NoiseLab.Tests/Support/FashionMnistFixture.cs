using NoiseLab.Data;

namespace NoiseLab.Tests.Support;

/// <summary>
/// Where the tests find the real Fashion-MNIST: $NOISELAB_DATA or Debian's dataset-fashion-mnist
/// (which .ci/run installs). Tests that need it fail with the loader's own message when it is absent.
/// </summary>
internal static class FashionMnist
{
    public static DataOptions Options(int? limitTrain = null) => new()
    {
        LimitTrain = limitTrain,
        AllowDownload = false,
    };
}
