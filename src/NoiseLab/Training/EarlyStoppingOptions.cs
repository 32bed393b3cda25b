using System.Text.Json.Serialization;
using NoiseLab.Configuration;

namespace NoiseLab.Training;

/// <summary>
/// What <see cref="EarlyStopping"/> watches and when it gives up, with Keras's meanings and defaults:
/// stop once <see cref="Monitor"/> has not improved by more than <see cref="MinDelta"/> for
/// <see cref="Patience"/> epochs in a row (0 and 1 both stop at the first epoch without improvement).
/// </summary>
public sealed record EarlyStoppingOptions
{
    /// <summary>The figure watched (<see cref="EpochMonitor"/>): val_loss (default), val_accuracy, train_loss, val_NAME for a task metric, or a diagnostic's key.</summary>
    public string Monitor { get; init; } = "val_loss";

    /// <summary>Whether lower or higher is better; null (default) guesses from the name (<see cref="EpochMonitor.DefaultMode"/>).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<MonitorMode>))]
    public MonitorMode? Mode { get; init; }

    /// <summary>Epochs in a row without improvement after which training stops (>= 0; default 0, as in Keras).</summary>
    public int Patience { get; init; }

    /// <summary>The least change that counts as an improvement, in the figure's units (>= 0; default 0).</summary>
    public double MinDelta { get; init; }

    /// <summary>At the end of training, put back the weights (and buffers) of the best epoch, whether training stopped early or ran out of epochs (default false, as in Keras).</summary>
    public bool RestoreBestWeights { get; init; }

    /// <summary>Checks the values; throws with a message that names the bad one.</summary>
    public void Validate()
    {
        _ = new EpochMonitor(Monitor, Mode);
        if (Patience < 0)
            throw new ArgumentException($"The early-stopping patience must be a number of epochs, 0 or more, not {Patience}.", nameof(Patience));
        if (!double.IsFinite(MinDelta) || MinDelta < 0)
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The early-stopping min_delta must be a finite number, 0 or more, not {MinDelta}."), nameof(MinDelta));
    }

    /// <summary>The keys <see cref="Parse"/> accepts.</summary>
    public const string AcceptedForm = "monitor=val_loss,mode=min|max,patience=0,min_delta=0,restore=false";

    /// <summary>
    /// Parses the command-line form <c>monitor=val_loss,patience=3,min_delta=0.001,restore=true[,mode=min]</c>;
    /// every key is optional, an unknown one is an error.
    /// </summary>
    /// <param name="text">The keys and values.</param>
    /// <param name="context">Names the spec in error messages, e.g. the option it came from.</param>
    /// <exception cref="ArgumentException">A key is unknown or a value is out of range; the message names it.</exception>
    public static EarlyStoppingOptions Parse(string text, string context = "early stopping")
    {
        ArgumentNullException.ThrowIfNull(text);
        var arguments = SpecArguments.Parse(text, context);
        var options = new EarlyStoppingOptions
        {
            Monitor = arguments.Text("monitor", "val_loss"),
            Mode = arguments.Has("mode") ? EpochMonitor.ParseMode(arguments.Text("mode", "")) : null,
            Patience = arguments.Int("patience", 0),
            MinDelta = arguments.Double("min_delta", 0),
            RestoreBestWeights = arguments.Bool("restore", false),
        };
        arguments.RejectUnused();
        options.Validate();
        return options;
    }
}
