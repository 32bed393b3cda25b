using NoiseLab.Build;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Build;

/// <summary>The build's GLIBCXX fix works: the native library in this test's output loads and computes.</summary>
public sealed class TorchSharpLoadsTests
{
    [Fact]
    public void TorchSharp_computes_a_matrix_product()
    {
        using Tensor a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using Tensor b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        using Tensor product = a.matmul(b);

        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
    }

    [Fact]
    public void The_native_library_in_the_output_carries_only_a_weak_GLIBCXX_3_4_32_requirement()
    {
        string library = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        Assert.True(File.Exists(library), $"expected {library} in the test output (RuntimeIdentifier linux-x64)");

        int[] requirements = ElfVersionRequirement.FindFlagOffsets(File.ReadAllBytes(library), "GLIBCXX_3.4.32", out bool applicable);

        Assert.True(applicable);
        Assert.Single(requirements);
        Assert.False(ElfVersionRequirement.HasStrongRequirement(library, "GLIBCXX_3.4.32"));
    }
}
