using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using ParameterState = TorchSharp.Modules.OptimizerState;

namespace NoiseLab.Training;

/// <summary>
/// Moves one replica's share of a stacked optimizer's state to and from an optimizer of the same kind over that
/// replica's own parameters, so that the replica's checkpoint holds the optimizer state of its single run (and a
/// single run's checkpoint can resume a replica). SGD's momentum buffer and Adam's and AdamW's moments are
/// per element, so replica r's state is slice r of each stacked tensor; the step counts and options are shared.
/// </summary>
internal static class StackedOptimizerState
{
    /// <summary>Whether the state of <paramref name="optimizer"/>'s kind can be split by replica.</summary>
    public static bool Supports(optim.Optimizer optimizer) => optimizer is SGD or Adam or AdamW;

    /// <summary>Copies slot <paramref name="slot"/> of <paramref name="stacked"/>'s state and its learning rates into <paramref name="replica"/>.</summary>
    public static void CopyToReplica(optim.Optimizer stacked, optim.Optimizer replica, int slot)
    {
        var (from, to) = States(stacked, replica);
        CopyRates(stacked, replica);
        var shapes = replica.parameters().Select(p => p.shape).ToList();
        using var noGrad = no_grad();
        for (int i = 0; i < from.Count; i++)
        {
            switch ((from[i], to[i]))
            {
                case (SGD.State s, SGD.State r):
                    r.momentum_buffer = SliceInto(s.momentum_buffer, r.momentum_buffer, slot, shapes[i]);
                    break;
                case (Adam.State s, Adam.State r):
                    r.step = s.step;
                    r.exp_avg = SliceInto(s.exp_avg, r.exp_avg, slot, r.exp_avg.shape)!;
                    r.exp_avg_sq = SliceInto(s.exp_avg_sq, r.exp_avg_sq, slot, r.exp_avg_sq.shape)!;
                    r.max_exp_avg_sq = SliceInto(s.max_exp_avg_sq, r.max_exp_avg_sq, slot, r.exp_avg.shape);
                    break;
                case (AdamW.State s, AdamW.State r):
                    r.step = s.step;
                    r.exp_avg = SliceInto(s.exp_avg, r.exp_avg, slot, r.exp_avg.shape)!;
                    r.exp_avg_sq = SliceInto(s.exp_avg_sq, r.exp_avg_sq, slot, r.exp_avg_sq.shape)!;
                    r.max_exp_avg_sq = SliceInto(s.max_exp_avg_sq, r.max_exp_avg_sq, slot, r.exp_avg.shape);
                    break;
                default:
                    throw Unsupported(stacked);
            }
        }
    }

    /// <summary>Copies <paramref name="replica"/>'s state and learning rates into slot <paramref name="slot"/> of <paramref name="stacked"/>.</summary>
    public static void CopyFromReplica(optim.Optimizer replica, optim.Optimizer stacked, int slot)
    {
        var (to, from) = States(stacked, replica);
        CopyRates(replica, stacked);
        var parameters = stacked.parameters().ToList();
        using var noGrad = no_grad();
        for (int i = 0; i < from.Count; i++)
        {
            switch ((from[i], to[i]))
            {
                case (SGD.State r, SGD.State s):
                    s.momentum_buffer = IntoSlot(r.momentum_buffer, s.momentum_buffer, slot, parameters[i]);
                    break;
                case (Adam.State r, Adam.State s):
                    s.step = r.step;
                    s.exp_avg = IntoSlot(r.exp_avg, s.exp_avg, slot, parameters[i])!;
                    s.exp_avg_sq = IntoSlot(r.exp_avg_sq, s.exp_avg_sq, slot, parameters[i])!;
                    s.max_exp_avg_sq = IntoSlot(r.max_exp_avg_sq, s.max_exp_avg_sq, slot, parameters[i]);
                    break;
                case (AdamW.State r, AdamW.State s):
                    s.step = r.step;
                    s.exp_avg = IntoSlot(r.exp_avg, s.exp_avg, slot, parameters[i])!;
                    s.exp_avg_sq = IntoSlot(r.exp_avg_sq, s.exp_avg_sq, slot, parameters[i])!;
                    s.max_exp_avg_sq = IntoSlot(r.max_exp_avg_sq, s.max_exp_avg_sq, slot, parameters[i]);
                    break;
                default:
                    throw Unsupported(stacked);
            }
        }
    }

    private static (List<ParameterState> Stacked, List<ParameterState> Replica) States(optim.Optimizer stacked, optim.Optimizer replica)
    {
        if (stacked is not OptimizerHelper s || replica is not OptimizerHelper r || stacked.GetType() != replica.GetType())
            throw Unsupported(stacked);
        List<ParameterState> from = s.state_dict().State, to = r.state_dict().State;
        if (from.Count != to.Count)
            throw new ArgumentException($"The stacked optimizer holds {from.Count} parameter states and the replica's {to.Count}.", nameof(replica));
        return (from, to);
    }

    private static void CopyRates(optim.Optimizer from, optim.Optimizer to)
    {
        foreach (var (source, target) in from.ParamGroups.Zip(to.ParamGroups))
            target.LearningRate = source.LearningRate;
    }

    // The replica's tensor, holding slot's slice of the stacked one (created on first use); null when the stacked one is.
    private static Tensor? SliceInto(Tensor? stacked, Tensor? replica, int slot, long[] shape)
    {
        if (stacked is null)
        {
            replica?.Dispose();
            return null;
        }
        using Tensor row = stacked[slot];
        using Tensor slice = row.reshape(shape);
        if (replica is null)
            return slice.clone().DetachFromDisposeScope();
        replica.copy_(slice);
        return replica;
    }

    // The stacked tensor with slot's slice replaced by the replica's (created as zeros on first use); unchanged when the replica has none.
    private static Tensor? IntoSlot(Tensor? replica, Tensor? stacked, int slot, Tensor parameter)
    {
        if (replica is null)
            return stacked;
        stacked ??= zeros_like(parameter).DetachFromDisposeScope();
        using Tensor slice = stacked[slot];
        using Tensor source = replica.reshape(slice.shape);
        slice.copy_(source);
        return stacked;
    }

    private static NotSupportedException Unsupported(optim.Optimizer optimizer) =>
        new($"Stacked training splits the state of SGD, Adam and AdamW by replica; {optimizer.GetType().Name} is not one of them.");
}
