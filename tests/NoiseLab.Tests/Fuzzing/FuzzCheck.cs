using System.Diagnostics;
using System.Globalization;
using CsCheck;

namespace NoiseLab.Tests.Fuzzing;

/// <summary>
/// Runs a reader on generated inputs and holds it to its contract: it returns, or it throws exactly its
/// own error type with a message; it never throws anything else, never hangs, and never allocates far
/// more than its input could need.
/// </summary>
/// <remarks>
/// CI runs <c>iterations</c> inputs per property (a few seconds in all). Set NOISELAB_FUZZ_SECONDS to run
/// each property for that many seconds instead, e.g. <c>NOISELAB_FUZZ_SECONDS=600 dotnet test
/// tests/NoiseLab.Tests -c Release --filter "FullyQualifiedName~Fuzzing"</c>; NOISELAB_FUZZ_SEED replays
/// the seed a failure printed.
/// </remarks>
internal static class FuzzCheck
{
    /// <summary>The environment variable that switches from a fixed count of inputs to a time per property.</summary>
    public const string SecondsVariable = "NOISELAB_FUZZ_SECONDS";

    /// <summary>How long one input may take before it counts as a hang.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Managed bytes a reader may allocate for one input beyond <see cref="BytesPerInputByte"/> per input byte.</summary>
    public const long AllocationAllowance = 32L << 20;

    /// <summary>Managed bytes a reader may allocate per byte of input.</summary>
    public const long BytesPerInputByte = 256;

    /// <summary>Checks <paramref name="read"/> on every input of <paramref name="inputs"/>.</summary>
    /// <param name="inputs">The damaged inputs.</param>
    /// <param name="read">Writes the input where the reader finds it and reads it.</param>
    /// <param name="size">The input's size in bytes, for the allocation bound.</param>
    /// <param name="iterations">Inputs to try in CI.</param>
    /// <typeparam name="TInput">The input.</typeparam>
    /// <typeparam name="TError">The reader's own error type.</typeparam>
    public static void Property<TInput, TError>(Gen<TInput> inputs, Action<TInput> read, Func<TInput, long> size, long iterations, Func<TInput, string>? print = null)
        where TError : Exception
    {
        int seconds = int.TryParse(Environment.GetEnvironmentVariable(SecondsVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) && s > 0 ? s : -1;
        string? seed = Environment.GetEnvironmentVariable("NOISELAB_FUZZ_SEED");
        inputs.Sample(
            input => Expect<TError>(() => read(input), size(input)),
            seed: string.IsNullOrEmpty(seed) ? null : seed,
            iter: seconds > 0 ? -1 : iterations,
            time: seconds,
            threads: 1,
            print: print);
    }

    /// <summary>Runs <paramref name="read"/> once and checks the contract; returns the reader's error, or null when it read the input.</summary>
    public static TError? Expect<TError>(Action read, long inputSize, long? allocationLimit = null)
        where TError : Exception
    {
        Exception? error = null;
        long allocated = 0;
        var task = Task.Factory.StartNew(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                read();
            }
#pragma warning disable CA1031 // Every exception is caught to be judged below.
            catch (Exception e)
#pragma warning restore CA1031
            {
                error = e;
            }
            finally
            {
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var clock = Stopwatch.StartNew();
        if (!task.Wait(Timeout))
            throw new FuzzFailureException($"The reader did not finish within {Timeout.TotalSeconds} s: it hangs on this input.");
        long limit = allocationLimit ?? AllocationAllowance + BytesPerInputByte * inputSize;
        if (allocated > limit)
            throw new FuzzFailureException($"The reader allocated {allocated:N0} managed bytes for {inputSize:N0} input bytes (limit {limit:N0}) in {clock.Elapsed.TotalSeconds:F1} s.");
        return error switch
        {
            null => null,
            TError expected when expected.GetType() == typeof(TError) && !string.IsNullOrWhiteSpace(expected.Message) => expected,
            _ => throw new FuzzFailureException($"The reader threw {error.GetType().FullName} instead of {typeof(TError).Name}: {error.Message}", error),
        };
    }
}

/// <summary>A reader broke its contract on a fuzzed input.</summary>
internal sealed class FuzzFailureException : Exception
{
    public FuzzFailureException(string message) : base(message) { }

    public FuzzFailureException(string message, Exception inner) : base(message, inner) { }
}
