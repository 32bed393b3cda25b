using NoiseLab.Interop;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Optimization;

/// <summary>
/// TorchSharp's SGD (with momentum and weight decay), the same operations in the same order and so the same bits, with
/// the step's Scalars held until it ends (<see cref="HeldScalars"/> says why). Its state and checkpoints are SGD's.
/// </summary>
public sealed class SafeSgd(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double weightDecay = 0)
    : SGD(parameters, lr, momentum, weight_decay: weightDecay)
{
    /// <inheritdoc />
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        Options options = group.Options;
        double momentumFactor = options.momentum!.Value, dampening = options.dampening!.Value, decay = options.weight_decay!.Value;
        bool nesterov = options.nesterov!.Value, maximize = options.maximize!.Value;
        double rate = options.LearningRate!.Value;
        using var scalars = new HeldScalars();
        foreach (Parameter param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            Tensor? grad = param.grad;
            if (grad is null)
                continue;
            if (decay != 0)
                grad = grad.add(param, alpha: scalars.Of(decay));
            if (momentumFactor != 0)
            {
                Tensor? buffer = state.momentum_buffer;
                if (buffer is null)
                    buffer = grad.clone().detach().DetachFromDisposeScope();
                else
                    buffer.mul_(scalars.Of(momentumFactor)).add_(grad, alpha: scalars.Of(1 - dampening));
                grad = nesterov ? grad.add(buffer, alpha: scalars.Of(momentumFactor)) : buffer;
                state.momentum_buffer = buffer;
            }
            param.add_(grad, alpha: scalars.Of(maximize ? rate : -rate));
        }
    }, closure);
}
