namespace NoiseLab.Optimization;

/// <summary>The optimizers NoiseLab's runner builds (seed 002 compares SGD, SGD with momentum and Adam).</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent; momentum 0 unless set.</summary>
    Sgd,
    /// <summary>SGD with heavy-ball momentum, 0.9 unless set.</summary>
    Momentum,
    /// <summary>Adam (Kingma and Ba), L2 weight decay added to the gradient.</summary>
    Adam,
    /// <summary>AdamW (Loshchilov and Hutter), decoupled weight decay.</summary>
    AdamW,
}
