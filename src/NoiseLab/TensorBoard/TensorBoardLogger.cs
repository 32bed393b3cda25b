using System.Security.Cryptography;
using System.Text;
using NoiseLab.Noise;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.TensorBoard;

/// <summary>
/// Writes every figure of each epoch's <see cref="EpochRecord"/> to a TensorBoard event file, as scalars at
/// step = epoch, and flushes after each epoch so a run in progress (or a killed one) can be watched.
/// Add it after the callbacks that annotate the record (the adaptive controller, the sharpness probe), so
/// their figures are in it. The file opens when the logger is made and closes at
/// <see cref="TrainingCallback.OnTrainEnd"/> or <see cref="Dispose"/>; one logger serves one run.
/// </summary>
public sealed class TensorBoardLogger : TrainingCallback, IDisposable
{
    private readonly EventFileWriter _writer;
    private bool _sessionOpen;

    /// <summary>Creates a logger writing a new event file into <paramref name="directory"/> (created if needed).</summary>
    /// <param name="directory">The run's folder; TensorBoard shows each folder under its <c>--logdir</c> as one run.</param>
    /// <param name="time">The clock for wall times; the system clock by default.</param>
    public TensorBoardLogger(string directory, TimeProvider? time = null)
    {
        _writer = new EventFileWriter(directory, time);
        RunDirectory = Path.GetDirectoryName(_writer.FilePath)!;
    }

    /// <summary>
    /// The run's hyperparameters (strings, booleans, numbers) for TensorBoard's HParams tab, written when training
    /// starts, with the run's end (finished, or failed when the logger is disposed before the run ends) written
    /// after it. Null (the default) writes no HParams data.
    /// </summary>
    public IReadOnlyDictionary<string, object>? Hyperparameters { get; set; }

    /// <summary>The HParams tab's group for this run: runs that differ only in their seed share one, e.g. the configuration's id.</summary>
    public string? HyperparameterGroup { get; set; }

    /// <summary>
    /// Also write, at each epoch's end, a histogram of every parameter (<c>weights/NAME</c>), of its gradient as
    /// the optimizer last saw it, after clipping and gradient noise (<c>gradients/NAME</c>), and of the noise each
    /// injector of the run drew at the epoch's last step (<c>noise/INJECTOR</c>, all its tensors together: drawn
    /// again from the keys the injector recorded, so training keeps no copy of it). Off by default: a histogram per
    /// parameter per epoch is much larger than the scalars.
    /// </summary>
    public bool Histograms { get; set; }

    /// <summary>The folder the event file is in.</summary>
    public string RunDirectory { get; }

    /// <summary>The event file's full path.</summary>
    public string FilePath => _writer.FilePath;

    /// <summary>
    /// A logger for one run of a sweep, writing into <c><paramref name="root"/>/<see cref="FolderName"/>(<paramref name="runId"/>)</c>,
    /// so that <c>tensorboard --logdir <paramref name="root"/></c> shows the sweep's runs side by side.
    /// </summary>
    /// <param name="root">The folder given to <c>--tensorboard</c>.</param>
    /// <param name="runId">The run's id, e.g. <c>fashion-mnist|mlp:8|momentum:0.05|clip=none|input|seed=0</c>.</param>
    /// <param name="replaceExisting">
    /// Delete event files already in the run's folder first. TensorBoard merges every file in a folder into one
    /// run, so a run started again from epoch 1 (a resumed sweep) would otherwise chart both attempts.
    /// </param>
    /// <param name="time">The clock for wall times; the system clock by default.</param>
    public static TensorBoardLogger ForRun(string root, string runId, bool replaceExisting = false, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        string directory = Path.Combine(root, FolderName(runId));
        if (replaceExisting && Directory.Exists(directory))
        {
            foreach (string file in EventFileReader.FindFiles(directory))
                File.Delete(file);
        }
        return new TensorBoardLogger(directory, time);
    }

    /// <summary>
    /// A folder name for <paramref name="runId"/> that is safe on every file system: letters, digits and
    /// <c>- _ . = , +</c> are kept, anything else (<c>| : / \</c> spaces ...) becomes '_', and a leading '.' too.
    /// When anything was replaced, or the id is longer than 100 characters (cut there), the first 8 hex digits of the
    /// id's SHA-256 are appended, so that two ids never share a folder.
    /// </summary>
    /// <example><c>fashion-mnist|mlp:8|momentum:0.05|seed=0</c> → <c>fashion-mnist_mlp_8_momentum_0.05_seed=0-</c> and 8 hex digits.</example>
    public static string FolderName(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        const int MaxLength = 100;
        var name = new StringBuilder(runId.Length);
        foreach (char c in runId)
            name.Append(char.IsAsciiLetterOrDigit(c) || "-_.=,+".Contains(c, StringComparison.Ordinal) ? c : '_');
        // A leading '.' would hide the folder, and "." or ".." would not be a folder of its own.
        if (name[0] == '.')
            name[0] = '_';
        if (name.Length > MaxLength)
            name.Length = MaxLength;
        if (name.ToString() == runId)
            return runId;
        // Replacing is not one-to-one ("a|b" and "a:b" both give "a_b"); the hash keeps such ids apart.
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(runId));
        return name.Append('-').Append(Convert.ToHexStringLower(hash, 0, 4)).ToString();
    }

    /// <summary>
    /// The scalars written for <paramref name="record"/>: loss/train, loss/val, accuracy/train and accuracy/val
    /// (when the task has accuracy), train/NAME and val/NAME for each task figure, grad_norm, grad_norm_change,
    /// weight_update_norm, learning_rate, sigma/INJECTOR for each noise level and diagnostics/NAME for each
    /// diagnostic. Dictionary entries are sorted by name, so the order does not depend on who added them when.
    /// </summary>
    public static IReadOnlyList<ScalarValue> Scalars(EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var scalars = new List<ScalarValue>
        {
            new("loss/train", (float)record.TrainLoss),
            new("loss/val", (float)record.ValLoss),
        };
        if (record.TrainAccuracy is double trainAccuracy)
            scalars.Add(new("accuracy/train", (float)trainAccuracy));
        if (record.ValAccuracy is double valAccuracy)
            scalars.Add(new("accuracy/val", (float)valAccuracy));
        AddAll(scalars, "train/", record.TrainMetrics);
        AddAll(scalars, "val/", record.ValMetrics);
        scalars.Add(new("grad_norm", (float)record.GradNorm));
        scalars.Add(new("grad_norm_change", (float)record.GradNormChange));
        scalars.Add(new("weight_update_norm", (float)record.WeightUpdateNorm));
        scalars.Add(new("learning_rate", (float)record.LearningRate));
        AddAll(scalars, "sigma/", record.Sigmas);
        AddAll(scalars, "diagnostics/", record.Diagnostics);
        return scalars;
    }

    /// <summary>The histograms of every parameter of <paramref name="model"/> and, where it has one, of its gradient.</summary>
    public static IReadOnlyList<HistogramValue> ParameterHistograms(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var histograms = new List<HistogramValue>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            histograms.Add(HistogramValue.Of("weights/" + name, parameter));
            // The gradient's wrapper is held until the histogram has read it (and then freed).
            using Tensor? gradient = parameter.grad;
            if (gradient is not null)
                histograms.Add(HistogramValue.Of("gradients/" + name, gradient));
        }
        return histograms;
    }

    /// <summary>The histograms of the noise each injector of <paramref name="injectors"/> drew at its latest step (see <see cref="NoiseInjector.LastDraws"/>).</summary>
    public static IReadOnlyList<HistogramValue> NoiseHistograms(IEnumerable<NoiseInjector> injectors)
    {
        ArgumentNullException.ThrowIfNull(injectors);
        var histograms = new List<HistogramValue>();
        foreach (NoiseInjector injector in injectors.Where(i => i.LastDraws.Count > 0))
        {
            using Tensor noise = NoiseDraw.Redraw(injector.LastDraws);
            histograms.Add(HistogramValue.Of("noise/" + injector.Name, noise));
        }
        return histograms;
    }

    /// <inheritdoc />
    public override void OnTrainStart(TrainingContext context)
    {
        if (Histograms)
        {
            ArgumentNullException.ThrowIfNull(context);
            foreach (NoiseInjector injector in context.Callbacks.OfType<NoiseInjector>())
                injector.RecordDraws = true;
        }
        if (Hyperparameters is null)
            return;
        _writer.WriteHyperparameters(Hyperparameters, HyperparameterGroup);
        _writer.Flush();
        _sessionOpen = true;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _writer.WriteScalars(record.Epoch, Scalars(record));
        if (Histograms)
        {
            ArgumentNullException.ThrowIfNull(context);
            _writer.WriteHistograms(record.Epoch, [.. ParameterHistograms(context.Model), .. NoiseHistograms(context.Callbacks.OfType<NoiseInjector>())]);
        }
        _writer.Flush();
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context) => Close(succeeded: true);

    /// <summary>
    /// Closes the event file. A run that throws (e.g. diverges) never reaches OnTrainEnd, so dispose the logger too;
    /// with <see cref="Hyperparameters"/> set, the run is then marked failed in the HParams tab.
    /// </summary>
    public void Dispose() => Close(succeeded: false);

    private void Close(bool succeeded)
    {
        if (_sessionOpen)
        {
            _sessionOpen = false;
            _writer.WriteSessionEnd(succeeded);
        }
        _writer.Dispose();
    }

    private static void AddAll(List<ScalarValue> scalars, string prefix, IReadOnlyDictionary<string, double> values)
    {
        foreach (var (name, value) in values.OrderBy(e => e.Key, StringComparer.Ordinal))
            scalars.Add(new(prefix + name, (float)value));
    }
}
