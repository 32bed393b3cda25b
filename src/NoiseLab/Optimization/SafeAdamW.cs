using NoiseLab.Interop;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Optimization;

/// <summary>
/// TorchSharp's AdamW (decoupled weight decay), the same operations in the same order and so the same bits, with the
/// step's Scalars held until it ends (<see cref="HeldScalars"/> says why). Its state and checkpoints are AdamW's.
/// </summary>
public sealed class SafeAdamW(IEnumerable<Parameter> parameters, double lr, double weightDecay = 0)
    : AdamW(parameters, lr, weight_decay: weightDecay)
{
    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        using var scalars = new HeldScalars();
        foreach (Parameter param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            Tensor? grad = param.grad;
            if (grad is null)
                continue;
            if (options.maximize!.Value)
                grad = -grad;
            state.step += 1;
            double rate = options.LearningRate!.Value, beta1 = options.beta1!.Value, beta2 = options.beta2!.Value;
            param.mul_(scalars.Of(1 - rate * options.weight_decay!.Value));
            double correction1 = 1 - Math.Pow(beta1, state.step), correction2 = 1 - Math.Pow(beta2, state.step);
            state.exp_avg.mul_(scalars.Of(beta1)).add_(grad, alpha: scalars.Of(1 - beta1));
            state.exp_avg_sq.mul_(scalars.Of(beta2)).addcmul_(grad, grad, value: scalars.Of(1 - beta2));
            Tensor denom = AdamSteps.Denominator(state.exp_avg_sq, ref state.max_exp_avg_sq, options.amsgrad!.Value, correction2, options.eps!.Value, scalars);
            param.addcdiv_(state.exp_avg, denom, value: scalars.Of(-(rate / correction1)));
        }
    }, closure);
}
