namespace NoiseLab.Noise;

/// <summary>Which parameter groups (the model's parameter tensors, in order) a weight perturbation touches per step (seed 003).</summary>
public enum PerturbationScope
{
    /// <summary>Every group at every step, each with s/√n_groups, so the whole perturbation has the size of one group's.</summary>
    All,

    /// <summary>One group per step with s, cycling through the groups in order (step t perturbs group t mod n_groups).</summary>
    Layerwise,

    /// <summary>Every group at every step, each with the full s (seed 002's adaptive weight noise: no √n split).</summary>
    EachTensor,
}
