using NoiseLab.Optimization;

namespace NoiseLab.Tests.Optimization;

public sealed class OptimizerSpecTests
{
    [Theory]
    [InlineData("sgd", OptimizerKind.Sgd, 0.0)]
    [InlineData("momentum", OptimizerKind.Momentum, 0.9)]
    [InlineData("ADAM", OptimizerKind.Adam, 0.0)]
    [InlineData("adamw", OptimizerKind.AdamW, 0.0)]
    public void Kinds_parse_and_take_their_default_momentum(string name, OptimizerKind kind, double momentum)
    {
        var spec = new OptimizerSpec(OptimizerSpec.ParseKind(name), 0.01);

        Assert.Equal(kind, spec.Kind);
        Assert.Equal(momentum, spec.Momentum);
    }

    [Fact]
    public void Sgd_with_explicit_momentum_keeps_it()
    {
        Assert.Equal(0.5, new OptimizerSpec(OptimizerKind.Sgd, 0.1, momentum: 0.5).Momentum);
    }

    [Theory]
    [InlineData(-0.1, null, 0.0, "The learning rate must be a positive finite number.")]
    [InlineData(0.1, 1.0, 0.0, "Momentum must be in [0, 1).")]
    [InlineData(0.1, null, -1.0, "Weight decay must be zero or positive.")]
    public void Out_of_range_values_are_refused(double lr, double? momentum, double decay, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new OptimizerSpec(OptimizerKind.Sgd, lr, momentum, decay));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Momentum_with_adam_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new OptimizerSpec(OptimizerKind.Adam, 0.001, momentum: 0.9));

        Assert.StartsWith("Momentum applies to sgd and momentum; adam uses its betas (0.9, 0.999) instead.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_optimizer_lists_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => OptimizerSpec.ParseKind("lion"));

        Assert.StartsWith("Unknown optimizer 'lion'; choose one of: sgd, momentum, adam, adamw.", error.Message, StringComparison.Ordinal);
    }
}
