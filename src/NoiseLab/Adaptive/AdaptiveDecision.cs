namespace NoiseLab.Adaptive;

/// <summary>
/// What the controller decided at the end of an epoch, for the next epoch: whether training looks
/// stuck (→ gradient noise) or overfitting (→ weight noise), how stuck (F_stuck), the noise level,
/// and the cooldown. Recorded for every epoch so that a plot can show when and why noise went in.
/// </summary>
/// <param name="Epoch">The epoch just finished (from 1).</param>
/// <param name="Stuck">Gradient-norm plateau or tiny weight updates: gradient noise next epoch.</param>
/// <param name="Overfitting">Validation plateau, or validation rising while training falls: weight noise next epoch.</param>
/// <param name="FStuck">F_stuck in [0, 1] (0 when no flag is up).</param>
/// <param name="Sigma">The level for the next epoch: σ_raw damped by the cosine over the run (0 when no noise).</param>
/// <param name="CooldownLeft">Epochs of cooldown still to come after this decision.</param>
/// <param name="Reason">warm-up, cooldown, stuck, overfitting, stuck+overfitting or clear.</param>
public sealed record AdaptiveDecision(int Epoch, bool Stuck, bool Overfitting, double FStuck, double Sigma, int CooldownLeft, string Reason)
{
    /// <summary>Whether noise goes in next epoch.</summary>
    public bool Injects => (Stuck || Overfitting) && Sigma > 0;
}
