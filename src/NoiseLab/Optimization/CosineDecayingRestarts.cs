namespace NoiseLab.Optimization;

/// <summary>
/// Seed 002's "cosine annealing with decaying restarts", per step t:
/// T₀ = E_restart·S, T_decay = (E_max − E_restart)·S, n = ⌊log_{T_mult}(t/T₀·(T_mult − 1) + 1)⌋,
/// T_i = T₀·T_mult^n, T_cur = t − T₀(T_mult^n − 1)/(T_mult − 1),
/// η_max,t = η_max − min(1, t/T_decay)(η_max − η_final_max),
/// η_t = η_min + ½(η_max,t − η_min)(1 + cos(π·T_cur/T_i)).
/// </summary>
/// <remarks>
/// Choices where the seed is silent: T_mult = 1 (its Table IV gives none, and its text restarts every
/// 50 epochs up to epoch 250) is taken as the formula's limit, n = ⌊t/T₀⌋ and T_cur = t − n·T₀;
/// when E_restart ≥ E_max there is no decay period and the peak stays η_max.
/// </remarks>
public sealed class CosineDecayingRestarts : LearningRateSchedule
{
    /// <summary>Creates the schedule; the run's length E_max·S comes from <see cref="At"/>'s totalSteps.</summary>
    /// <param name="etaMax">η_max, the first peak (the optimizer's learning rate).</param>
    /// <param name="stepsPerEpoch">S, optimizer steps per epoch.</param>
    /// <param name="restartEpochs">E_restart, the first cycle's length in epochs (50 in seed 002).</param>
    /// <param name="etaMin">η_min, the floor of every cycle (1e-6).</param>
    /// <param name="etaFinalMax">η_final_max, the peak reached by the end of the decay (1e-5).</param>
    /// <param name="cycleGrowth">T_mult, the factor by which each cycle is longer than the last (1).</param>
    public CosineDecayingRestarts(double etaMax, int stepsPerEpoch, int restartEpochs = 50, double etaMin = 1e-6, double etaFinalMax = 1e-5, double cycleGrowth = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerEpoch);
        if (restartEpochs < 1)
            throw new ArgumentOutOfRangeException(nameof(restartEpochs), restartEpochs, "The restart period must be at least 1 epoch.");
        if (!(etaMin >= 0 && etaMin <= etaFinalMax && etaFinalMax <= etaMax))
            throw new ArgumentOutOfRangeException(nameof(etaFinalMax), etaFinalMax, $"The restart schedule needs 0 <= min ({etaMin}) <= final ({etaFinalMax}) <= the learning rate ({etaMax}).");
        if (!(cycleGrowth >= 1))
            throw new ArgumentOutOfRangeException(nameof(cycleGrowth), cycleGrowth, "The cycle growth (mult) must be at least 1.");
        EtaMax = etaMax;
        EtaMin = etaMin;
        EtaFinalMax = etaFinalMax;
        CycleGrowth = cycleGrowth;
        FirstCycle = (long)restartEpochs * stepsPerEpoch;
    }

    /// <summary>η_max.</summary>
    public double EtaMax { get; }

    /// <summary>η_min.</summary>
    public double EtaMin { get; }

    /// <summary>η_final_max.</summary>
    public double EtaFinalMax { get; }

    /// <summary>T_mult.</summary>
    public double CycleGrowth { get; }

    /// <summary>T₀ in steps.</summary>
    public long FirstCycle { get; }

    /// <inheritdoc />
    public override double At(long step, long totalSteps)
    {
        double t = step, t0 = FirstCycle;
        double cycleLength, position;
        if (CycleGrowth == 1)
        {
            double n = Math.Floor(t / t0);
            (cycleLength, position) = (t0, t - n * t0);
        }
        else
        {
            double m = CycleGrowth;
            double n = Math.Floor(Math.Log(t / t0 * (m - 1) + 1, m));
            (cycleLength, position) = (t0 * Math.Pow(m, n), t - t0 * (Math.Pow(m, n) - 1) / (m - 1));
        }
        double decaySteps = totalSteps - t0;
        double peak = decaySteps > 0 ? EtaMax - Math.Min(1, t / decaySteps) * (EtaMax - EtaFinalMax) : EtaMax;
        return EtaMin + 0.5 * (peak - EtaMin) * (1 + Math.Cos(Math.PI * position / cycleLength));
    }
}
