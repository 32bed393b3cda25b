using NoiseLab.Configuration;
using NoiseLab.Randomness;

namespace NoiseLab.Adaptive;

/// <summary>
/// The adaptive controller's thresholds and ranges; every default is seed 002's Table V value.
/// </summary>
public sealed record AdaptiveNoiseOptions
{
    /// <summary>MinEpochs_beforeflag: epochs without any check (70).</summary>
    public int MinEpochs { get; init; } = 70;

    /// <summary>Windowsize_flag: epochs of history each check looks at (10).</summary>
    public int Window { get; init; } = 10;

    /// <summary>ValPlateauΔ: the mean per-epoch validation-loss decrease below which validation has plateaued (1e-4).</summary>
    public double ValPlateauDelta { get; init; } = 1e-4;

    /// <summary>NEpochsOverfit: consecutive epochs of rising validation loss with falling training loss that mean overfitting (3).</summary>
    public int EpochsOverfit { get; init; } = 3;

    /// <summary>Gradient_plateau: the mean per-epoch relative change of the gradient norm below which it has plateaued (0.025).</summary>
    public double GradientPlateau { get; init; } = 0.025;

    /// <summary>LowWeightupdate: the mean weight-update norm below which the weights are stuck (5e-4).</summary>
    public double LowWeightUpdate { get; init; } = 5e-4;

    /// <summary>σ_min (0.01).</summary>
    public double SigmaMin { get; init; } = 0.01;

    /// <summary>σ_max (0.05).</summary>
    public double SigmaMax { get; init; } = 0.05;

    /// <summary>ConsecutiveTrigger: noisy epochs in a row after which a cooldown starts (10).</summary>
    public int ConsecutiveTrigger { get; init; } = 10;

    /// <summary>CD_min: the shortest cooldown, in epochs (3).</summary>
    public int CooldownMin { get; init; } = 3;

    /// <summary>CD_max: the longest cooldown, in epochs (10).</summary>
    public int CooldownMax { get; init; } = 10;

    /// <summary>Gaussian or uniform noise (seed 002 compares both).</summary>
    public NoiseDistribution Distribution { get; init; } = NoiseDistribution.Gaussian;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (MinEpochs < 0) throw new ArgumentOutOfRangeException(nameof(MinEpochs), MinEpochs, "min_epochs must be >= 0.");
        if (Window < 2) throw new ArgumentOutOfRangeException(nameof(Window), Window, "window must be at least 2 epochs.");
        if (EpochsOverfit < 1) throw new ArgumentOutOfRangeException(nameof(EpochsOverfit), EpochsOverfit, "overfit_epochs must be at least 1.");
        if (!(ValPlateauDelta > 0)) throw new ArgumentOutOfRangeException(nameof(ValPlateauDelta), ValPlateauDelta, "val_plateau must be > 0.");
        if (!(GradientPlateau > 0)) throw new ArgumentOutOfRangeException(nameof(GradientPlateau), GradientPlateau, "grad_plateau must be > 0.");
        if (!(LowWeightUpdate >= 0)) throw new ArgumentOutOfRangeException(nameof(LowWeightUpdate), LowWeightUpdate, "low_update must be >= 0.");
        if (!(SigmaMin >= 0 && SigmaMin <= SigmaMax)) throw new ArgumentOutOfRangeException(nameof(SigmaMax), SigmaMax, "sigma_min and sigma_max must satisfy 0 <= sigma_min <= sigma_max.");
        if (ConsecutiveTrigger < 1) throw new ArgumentOutOfRangeException(nameof(ConsecutiveTrigger), ConsecutiveTrigger, "consecutive must be at least 1.");
        if (!(CooldownMin >= 0 && CooldownMin <= CooldownMax)) throw new ArgumentOutOfRangeException(nameof(CooldownMax), CooldownMax, "cd_min and cd_max must satisfy 0 <= cd_min <= cd_max.");
    }

    /// <summary>
    /// Reads the command-line keys: min_epochs, window, val_plateau, overfit_epochs, grad_plateau,
    /// low_update, sigma_min, sigma_max, consecutive, cd_min, cd_max, dist=gaussian|uniform.
    /// </summary>
    public static AdaptiveNoiseOptions Parse(SpecArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var defaults = new AdaptiveNoiseOptions();
        var options = new AdaptiveNoiseOptions
        {
            MinEpochs = arguments.Int("min_epochs", defaults.MinEpochs),
            Window = arguments.Int("window", defaults.Window),
            ValPlateauDelta = arguments.Double("val_plateau", defaults.ValPlateauDelta),
            EpochsOverfit = arguments.Int("overfit_epochs", defaults.EpochsOverfit),
            GradientPlateau = arguments.Double("grad_plateau", defaults.GradientPlateau),
            LowWeightUpdate = arguments.Double("low_update", defaults.LowWeightUpdate),
            SigmaMin = arguments.Double("sigma_min", defaults.SigmaMin),
            SigmaMax = arguments.Double("sigma_max", defaults.SigmaMax),
            ConsecutiveTrigger = arguments.Int("consecutive", defaults.ConsecutiveTrigger),
            CooldownMin = arguments.Int("cd_min", defaults.CooldownMin),
            CooldownMax = arguments.Int("cd_max", defaults.CooldownMax),
            Distribution = arguments.Text("dist", "gaussian").ToLowerInvariant() switch
            {
                "gaussian" => NoiseDistribution.Gaussian,
                "uniform" => NoiseDistribution.Uniform,
                string other => throw new ArgumentException($"dist must be gaussian or uniform, not '{other}'"),
            },
        };
        options.Validate();
        return options;
    }
}
