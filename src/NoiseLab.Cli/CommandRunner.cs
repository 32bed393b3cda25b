using NoiseLab.Data;
using NoiseLab.Training;

namespace NoiseLab.Cli;

/// <summary>
/// Runs a command's body and turns its failures into one line on stderr and an exit code:
/// the user's mistakes (bad values, missing data) give <see cref="ExitCodes.BadInput"/> with no
/// stack trace; a failure inside training gives <see cref="ExitCodes.Failure"/>.
/// </summary>
internal static class CommandRunner
{
    public static int Run(TextWriter error, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is UsageException or DataSetException or ArgumentException or NoiseLab.Experiments.SweepSpecException or NoiseLab.Experiments.RunStoreException)
        {
            error.WriteLine($"noiselab: {UserMessage(e)}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is TrainingDivergedException or NoiseLab.Experiments.StoreLostException)
        {
            // Failures of the run or of its store, not of NoiseLab: the message says what happened and what to do.
            error.WriteLine($"noiselab: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (NoiseLab.Experiments.RunFailure.IsOutOfMemory(e))
        {
            // libtorch's allocator text and native frames, or .NET's OutOfMemoryException: one sentence saying what to shrink.
            error.WriteLine($"noiselab: {NoiseLab.Experiments.RunFailure.Describe(e)}");
            return ExitCodes.Failure;
        }
        catch (System.Runtime.InteropServices.ExternalException e) when (e.GetType() == typeof(System.Runtime.InteropServices.ExternalException))
        {
            // libtorch's own assertion, with its C++ frames: one sentence, and what to do about it.
            error.WriteLine($"noiselab: {NoiseLab.Experiments.RunFailure.Describe(e)}");
            return ExitCodes.Failure;
        }
        catch (System.Data.Common.DbException e)
        {
            // A store error that no command turned into its own sentence: its cause in words, never the driver's number alone.
            error.WriteLine($"noiselab: the store stopped answering: {NoiseLab.Experiments.StoreErrors.Describe(e)}; check that its disk has room and its server is up, then run the command again.");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error.WriteLine($"noiselab: failed: {e.Message} (set NOISELAB_TRACE=1 for the stack trace)");
            if (Environment.GetEnvironmentVariable("NOISELAB_TRACE") == "1")
                error.WriteLine(e);
            return ExitCodes.Failure;
        }
    }

    // ArgumentException appends " (Parameter 'x')" to its message; the user needs only the sentence.
    private static string UserMessage(Exception e) =>
        e is ArgumentOutOfRangeException range && range.ActualValue is not null
            ? $"{TrimParameterSuffix(range.Message, range.ParamName)} Got {range.ActualValue}."
            : e is ArgumentException argument ? TrimParameterSuffix(argument.Message, argument.ParamName) : e.Message;

    private static string TrimParameterSuffix(string message, string? parameter)
    {
        int cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (cut >= 0)
            message = message[..cut];
        int actual = message.IndexOf("\nActual value was", StringComparison.Ordinal);
        return (actual >= 0 ? message[..actual] : message).Trim();
    }
}
