using NoiseLab.Experiments;
using NoiseLab.Models;
using NoiseLab.Tests.Support;
using NoiseLab.Training;

namespace NoiseLab.Tests.Adaptive;

public sealed class AdaptiveFashionMnistTests
{
    [Fact]
    public void A_real_adaptive_run_records_the_trigger_and_the_noise_it_caused()
    {
        // BabyCNN on 2,000 Fashion-MNIST images; windows of 2 epochs so that the rules act within 5 epochs.
        TrainingResult result = RunExecutor.Execute(new RunSpec
        {
            Data = FashionMnist.Options(limitTrain: 2_000),
            Model = ModelSpec.Parse("babycnn"),
            Trainer = new TrainerOptions { Epochs = 5, Seed = 0 },
            Noise = ["adaptive:min_epochs=2,window=2,grad_plateau=0.5,consecutive=2,cd_min=1,cd_max=1"],
            Threads = 2,
        });

        EpochRecord trigger = result.History.First(r => r.Diagnostics["adaptive.stuck"] == 1);
        EpochRecord next = result.History[trigger.Epoch];
        Assert.True(trigger.Epoch >= 2, "no decision may come before min_epochs");
        Assert.True(trigger.Diagnostics["adaptive.sigma_next"] > 0);
        Assert.Equal(trigger.Diagnostics["adaptive.sigma_next"], next.Sigmas["adaptive.gradient"], 12);
        Assert.All(result.History.Where(r => r.Epoch <= trigger.Epoch), r => Assert.False(r.Sigmas.ContainsKey("adaptive.gradient")));
        Assert.True(result.TestAccuracy > 0.5, $"test accuracy {result.TestAccuracy}");
    }
}
