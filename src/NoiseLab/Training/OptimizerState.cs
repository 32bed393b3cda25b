using NoiseLab.Noise;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NoiseLab.Training;

/// <summary>Saving and loading the state of the optimizers a checkpoint can carry: TorchSharp's managed ones, and NoiseLab's wrapper around one.</summary>
internal static class OptimizerState
{
    public static bool CanSave(optim.Optimizer optimizer) => optimizer switch
    {
        OptimizerHelper => true,
        GradientNoiseOptimizer wrapper => CanSave(wrapper.Inner),
        _ => false,
    };

    public static void Save(optim.Optimizer optimizer, BinaryWriter writer)
    {
        switch (optimizer)
        {
            case OptimizerHelper managed:
                managed.save_state_dict(writer);
                break;
            case GradientNoiseOptimizer wrapper:
                wrapper.save_state_dict(writer);
                break;
            default:
                throw new InvalidOperationException($"{optimizer.GetType().Name} cannot save its state.");
        }
    }

    public static void Load(optim.Optimizer optimizer, BinaryReader reader)
    {
        switch (optimizer)
        {
            case OptimizerHelper managed:
                managed.load_state_dict(reader);
                break;
            case GradientNoiseOptimizer wrapper:
                wrapper.load_state_dict(reader);
                break;
            default:
                throw new Checkpoints.CheckpointMismatchException($"{optimizer.GetType().Name} cannot load a saved optimizer state.");
        }
    }
}
