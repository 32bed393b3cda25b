using NoiseLab.Cli.Reports;
using NoiseLab.Training;
using static NoiseLab.Tests.Support.Records;

namespace NoiseLab.Tests.Cli.Reports;

public sealed class EpochBandTests
{
    [Fact]
    public void The_band_is_the_mean_and_sample_std_over_the_seeds_at_each_epoch()
    {
        IReadOnlyList<EpochRecord>[] seeds =
        [
            [Epoch(1, valAccuracy: 0.5), Epoch(2, valAccuracy: 0.6), Epoch(3, valAccuracy: 0.8)],
            [Epoch(1, valAccuracy: 0.7), Epoch(2, valAccuracy: 0.6)],
            [Epoch(1, valAccuracy: 0.9), Epoch(2, valAccuracy: 0.9), Epoch(3, valAccuracy: double.NaN)],
        ];

        IReadOnlyList<EpochBand> band = EpochBand.Over(seeds, r => r.ValAccuracy);

        // Epoch 1: 0.5, 0.7, 0.9 -> mean 0.7, std sqrt((0.04 + 0 + 0.04) / 2) = 0.2.
        // Epoch 2: 0.6, 0.6, 0.9 -> mean 0.7, std sqrt((0.01 + 0.01 + 0.04) / 2) = sqrt(0.03).
        // Epoch 3: the second seed stopped and the third diverged, so 0.8 alone, std 0.
        Assert.Equal([1, 2, 3], band.Select(b => b.Epoch));
        Assert.Equal([3, 3, 1], band.Select(b => b.Runs));
        Assert.Equal(0.7, band[0].Mean, 12);
        Assert.Equal(0.2, band[0].Std, 12);
        Assert.Equal(0.7, band[1].Mean, 12);
        Assert.Equal(Math.Sqrt(0.03), band[1].Std, 12);
        Assert.Equal(0.8, band[2].Mean, 12);
        Assert.Equal(0, band[2].Std);
        Assert.Equal(0.5, band[0].Low, 12);
        Assert.Equal(0.9, band[0].High, 12);
    }

    [Fact]
    public void Epochs_come_out_in_order_whatever_order_the_records_are_in()
    {
        IReadOnlyList<EpochRecord>[] seeds = [[Epoch(3, trainLoss: 0.25), Epoch(1, trainLoss: 1.0)], [Epoch(2, trainLoss: 0.5)]];

        IReadOnlyList<EpochBand> band = EpochBand.Over(seeds, r => r.TrainLoss);

        Assert.Equal([new EpochBand(1, 1.0, 0, 1), new EpochBand(2, 0.5, 0, 1), new EpochBand(3, 0.25, 0, 1)], band);
    }

    [Fact]
    public void A_figure_no_record_has_gives_an_empty_band()
    {
        IReadOnlyList<EpochRecord>[] seeds = [[Epoch(1), Epoch(2)], [Epoch(1)]];

        Assert.Empty(EpochBand.Over(seeds, r => r.ValAccuracy));
    }
}
