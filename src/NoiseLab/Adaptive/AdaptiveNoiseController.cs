namespace NoiseLab.Adaptive;

/// <summary>
/// Seed 002's adaptive noise rules, as a pure function of the epoch metrics fed to it (no tensors),
/// so that they can be tested on scripted sequences and replayed from a history.
/// </summary>
/// <remarks>
/// After <see cref="AdaptiveNoiseOptions.MinEpochs"/> epochs, each epoch looks at the last
/// <see cref="AdaptiveNoiseOptions.Window"/> epochs:
/// <list type="bullet">
/// <item><b>stuck</b> when the gradient norm's mean per-epoch relative change |g_i − g_{i−1}|/g_{i−1}
/// is below Gradient_plateau, or the mean weight-update norm is below LowWeightupdate;</item>
/// <item><b>overfitting</b> when the validation loss's mean per-epoch decrease is below ValPlateauΔ,
/// or it has risen while the training loss fell in each of the last NEpochsOverfit epochs.</item>
/// </list>
/// The magnitude: I = the relative improvement over the window of the gradient norm (stuck) or of
/// the validation loss (overfitting only), δ the matching threshold, k = 2/δ,
/// F_stuck = 1 − sigmoid(k·I − δ) (as seed 002 writes it), σ_raw = σ_min + F_stuck(σ_max − σ_min),
/// σ = σ_raw · 0.5(1 + cos(π·e/E_max)). After ConsecutiveTrigger noisy epochs in a row, a cooldown of
/// round(CD_min + F_stuck(CD_max − CD_min)) epochs without noise follows.
/// </remarks>
public sealed class AdaptiveNoiseController
{
    private readonly List<(double GradNorm, double WeightUpdate, double TrainLoss, double ValLoss)> _history = [];
    private readonly List<AdaptiveDecision> _decisions = [];
    private int _cooldownLeft;
    private int _consecutiveNoisy;

    /// <summary>A controller for a run of <paramref name="totalEpochs"/> epochs (E_max of the damping).</summary>
    public AdaptiveNoiseController(AdaptiveNoiseOptions options, int totalEpochs)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalEpochs);
        Options = options;
        TotalEpochs = totalEpochs;
    }

    /// <summary>The thresholds.</summary>
    public AdaptiveNoiseOptions Options { get; }

    /// <summary>E_max.</summary>
    public int TotalEpochs { get; }

    /// <summary>Every decision so far, one per epoch.</summary>
    public IReadOnlyList<AdaptiveDecision> Decisions => _decisions;

    /// <summary>The decision in force for the coming epoch (none before the first).</summary>
    public AdaptiveDecision? Current => _decisions.Count == 0 ? null : _decisions[^1];

    /// <summary>Takes epoch <paramref name="epoch"/>'s figures and decides about the next epoch.</summary>
    public AdaptiveDecision Observe(int epoch, double gradNorm, double weightUpdateNorm, double trainLoss, double valLoss)
    {
        _history.Add((gradNorm, weightUpdateNorm, trainLoss, valLoss));
        AdaptiveDecision decision = Decide(epoch);
        _decisions.Add(decision);
        return decision;
    }

    private AdaptiveDecision Decide(int epoch)
    {
        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _consecutiveNoisy = 0;
            return new AdaptiveDecision(epoch, false, false, 0, 0, _cooldownLeft, "cooldown");
        }
        if (epoch < Options.MinEpochs || _history.Count < Options.Window)
            return new AdaptiveDecision(epoch, false, false, 0, 0, 0, "warm-up");

        var window = _history.GetRange(_history.Count - Options.Window, Options.Window);
        double gradientChange = Enumerable.Range(1, window.Count - 1)
            .Average(i => Math.Abs(window[i].GradNorm - window[i - 1].GradNorm) / Math.Max(window[i - 1].GradNorm, 1e-12));
        double meanUpdate = window.Average(w => w.WeightUpdate);
        bool stuck = gradientChange < Options.GradientPlateau || meanUpdate < Options.LowWeightUpdate;

        double valDecrease = (window[0].ValLoss - window[^1].ValLoss) / (window.Count - 1);
        bool overfitting = valDecrease < Options.ValPlateauDelta || RisingValidationRun() >= Options.EpochsOverfit;

        if (!stuck && !overfitting)
        {
            _consecutiveNoisy = 0;
            return new AdaptiveDecision(epoch, false, false, 0, 0, 0, "clear");
        }

        double improvement, threshold;
        if (stuck)
            (improvement, threshold) = ((window[0].GradNorm - window[^1].GradNorm) / Math.Max(window[0].GradNorm, 1e-12), Options.GradientPlateau);
        else
            (improvement, threshold) = ((window[0].ValLoss - window[^1].ValLoss) / Math.Max(Math.Abs(window[0].ValLoss), 1e-12), Options.ValPlateauDelta);
        double fStuck = StuckFactor(improvement, threshold);
        double sigma = (Options.SigmaMin + fStuck * (Options.SigmaMax - Options.SigmaMin)) * 0.5 * (1 + Math.Cos(Math.PI * epoch / TotalEpochs));

        _consecutiveNoisy++;
        if (_consecutiveNoisy >= Options.ConsecutiveTrigger)
        {
            _cooldownLeft = (int)Math.Round(Options.CooldownMin + fStuck * (Options.CooldownMax - Options.CooldownMin), MidpointRounding.AwayFromZero);
            _consecutiveNoisy = 0;
        }
        string reason = stuck && overfitting ? "stuck+overfitting" : stuck ? "stuck" : "overfitting";
        return new AdaptiveDecision(epoch, stuck, overfitting, fStuck, sigma, _cooldownLeft, reason);
    }

    /// <summary>F_stuck = 1 − sigmoid(k·I − δ) with k = 2/δ.</summary>
    public static double StuckFactor(double improvement, double threshold)
    {
        double k = 2 / threshold;
        return 1 - 1 / (1 + Math.Exp(-(k * improvement - threshold)));
    }

    // Trailing epochs in which validation loss rose while training loss fell.
    private int RisingValidationRun()
    {
        int run = 0;
        for (int i = _history.Count - 1; i > 0; i--)
        {
            if (!(_history[i].ValLoss > _history[i - 1].ValLoss && _history[i].TrainLoss < _history[i - 1].TrainLoss))
                break;
            run++;
        }
        return run;
    }
}
