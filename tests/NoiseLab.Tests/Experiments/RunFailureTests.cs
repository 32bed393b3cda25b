using System.ComponentModel;
using System.Runtime.InteropServices;
using NoiseLab.Experiments;

namespace NoiseLab.Tests.Experiments;

public sealed class RunFailureTests
{
    // What TorchSharp raised for the 20 runs of seed 004's study that failed at epoch 45 (the frames shortened).
    private const string LibTorchAssertion = "Expected false to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)\nException raised from check at ../aten/src/ATen/native/Foo.cpp:12 (most recent call first):\nframe #0: c10::Error::Error";

    private const string LibTorchSentence = "libtorch stopped the run with an internal error: 'Expected false to be true, but got false'; no setting of the run names it, and the run replays bit for bit from its seed, so train it again (a sweep: noiselab sweep SPEC --retry-failed) and report it with the spec if it repeats.";

    [Fact]
    public void A_libtorch_assertion_is_one_sentence_without_pytorch_s_plea_or_its_frames_that_says_how_to_retry()
    {
        Assert.Equal(LibTorchSentence, RunFailure.Describe(new ExternalException(LibTorchAssertion)));
    }

    [Fact]
    public void Train_reports_a_libtorch_assertion_in_the_same_sentence_and_exits_1()
    {
        var output = new StringWriter();

        int exit = NoiseLab.Cli.CommandRunner.Run(output, () => throw new ExternalException(LibTorchAssertion));

        Assert.Equal(1, exit);
        Assert.Equal("noiselab: " + LibTorchSentence, output.ToString().Trim());
    }

    [Fact]
    public void An_operating_system_error_is_not_taken_for_libtorch_s()
    {
        // Win32Exception is an ExternalException too, but it is the OS's; its own message is the reason.
        Assert.Equal("No such file or directory.", RunFailure.Describe(new Win32Exception(2, "No such file or directory")));
    }
}
