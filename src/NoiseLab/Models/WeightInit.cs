namespace NoiseLab.Models;

/// <summary>How <see cref="DeepMlp"/> draws its initial weights (biases start at 0 in every case); seed 004's three starts.</summary>
public enum WeightInit
{
    /// <summary>"Simple init": every weight from N(0, 0.1²).</summary>
    Simple,

    /// <summary>A "good init": He et al. 2015, N(0, 2/fan_in), made for ReLU.</summary>
    He,

    /// <summary>A "good init": Sussillo and Abbott 2014's random-walk init for ReLU, N(0, g²/fan_in) with g = √2·exp(1.2/(max(fan_in, 6) − 2.4)).</summary>
    Sussillo,

    /// <summary>"Bad init": every weight 0, the start seed 004 rescues with gradient noise.</summary>
    Zero,
}
