using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Cli.Bench;

/// <summary>
/// Counts what each training step allocates, around an optional injector that it wraps: managed
/// bytes on the training thread, TorchSharp tensors created, and parameter-sized tensors with their
/// own memory. It opens a dispose scope at step start (before the injector acts) and closes it after
/// the optimizer step, so every tensor made in between, by the trainer, the model, hooks or the
/// injector, passes through it; they are then handed to the trainer's own step scope unchanged.
/// </summary>
/// <remarks>
/// A tensor counts as parameter-sized when it has as many elements as one of the model's parameters
/// of at least <see cref="MinimumParameterElements"/> elements and its memory is neither a
/// parameter's nor a gradient's (TorchSharp hands out a new tensor object for each <c>.grad</c>
/// read; those share the gradient's memory and allocate nothing). In-place operations return the
/// tensor they act on and create nothing.
/// </remarks>
internal sealed class AllocationCensus(TrainingCallback? inner, int warmupSteps) : TrainingCallback
{
    /// <summary>Smaller parameters (biases) are not counted as parameter-sized.</summary>
    public const int MinimumParameterElements = 1024;

    private DisposeScope? _scope;
    private long _bytesAtStart;
    private long _tensorsAtStart;
    private int _step;

    /// <summary>Steps counted (after the warm-up).</summary>
    public int Steps { get; private set; }

    /// <summary>Managed bytes allocated on the training thread over the counted steps.</summary>
    public long ManagedBytes { get; private set; }

    /// <summary>TorchSharp tensor objects created on the training thread over the counted steps (TorchSharp's dispose-scope statistics).</summary>
    public long Tensors { get; private set; }

    /// <summary>Parameter-sized tensors with memory of their own created over the counted steps.</summary>
    public long ParameterSized { get; private set; }

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context) => inner?.OnTrainStart(context);

    /// <inheritdoc />
    public override void OnResume(TrainingContext context, IReadOnlyList<EpochRecord> history) => inner?.OnResume(context, history);

    /// <inheritdoc />
    public override void OnEpochStart(TrainingContext context) => inner?.OnEpochStart(context);

    /// <inheritdoc />
    public override void OnStepStart(TrainingContext context)
    {
        _scope = NewDisposeScope();
        _bytesAtStart = GC.GetAllocatedBytesForCurrentThread();
        _tensorsAtStart = TensorsCreated();
        inner?.OnStepStart(context);
    }

    /// <inheritdoc />
    public override void OnAfterBackward(TrainingContext context) => inner?.OnAfterBackward(context);

    /// <inheritdoc />
    public override void OnAfterClipping(TrainingContext context) => inner?.OnAfterClipping(context);

    /// <inheritdoc />
    public override void OnAfterOptimizerStep(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        inner?.OnAfterOptimizerStep(context);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - _bytesAtStart;
        long tensors = TensorsCreated() - _tensorsAtStart;
        DisposeScope scope = _scope ?? throw new InvalidOperationException("The census saw an optimizer step without a step start.");
        List<IDisposable> made = [.. scope.DisposablesView];
        if (_step++ >= warmupSteps)
        {
            Steps++;
            ManagedBytes += bytes;
            Tensors += tensors;
            ParameterSized += made.OfType<Tensor>().Count(t => IsParameterSized(t, context.Parameters));
        }
        scope.MoveToOuter(made);
        scope.Dispose();
        _scope = null;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochRecord record) => inner?.OnEpochEnd(context, record);

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context) => inner?.OnTrainEnd(context);

    private static long TensorsCreated()
    {
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        return statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
    }

    /// <summary>Whether <paramref name="tensor"/> is a parameter-sized tensor with memory of its own.</summary>
    public static bool IsParameterSized(Tensor tensor, IReadOnlyList<TorchSharp.Modules.Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(parameters);
        if (tensor.IsInvalid || tensor.device_type != DeviceType.CPU)
            return false;
        long elements = tensor.numel();
        if (elements < MinimumParameterElements || !parameters.Any(p => p.numel() == elements))
            return false;
        ref byte data = ref MemoryMarshal.GetReference(tensor.bytes);
        foreach (TorchSharp.Modules.Parameter parameter in parameters)
        {
            if (Unsafe.AreSame(ref data, ref MemoryMarshal.GetReference(parameter.bytes)))
                return false;
            using Tensor? grad = parameter.grad;
            if (grad is not null && Unsafe.AreSame(ref data, ref MemoryMarshal.GetReference(grad.bytes)))
                return false;
        }
        return true;
    }
}
