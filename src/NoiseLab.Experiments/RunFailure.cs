using System.Runtime.InteropServices;
using NoiseLab.Configuration;

namespace NoiseLab.Experiments;

/// <summary>
/// The reason a run failed, as one sentence a user can act on: the exception's own message for
/// NoiseLab's errors, and plain words for what libtorch or the runtime throws (no type names, no native frames).
/// </summary>
public static class RunFailure
{
    /// <summary>Whether <paramref name="error"/> is a failure to allocate memory, from .NET or from libtorch's allocator.</summary>
    public static bool IsOutOfMemory(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error is OutOfMemoryException or InsufficientExecutionStackException
            || error is ExternalException or InvalidOperationException
                && (error.Message.Contains("not enough memory", StringComparison.OrdinalIgnoreCase)
                    || error.Message.Contains("DefaultCPUAllocator", StringComparison.Ordinal)
                    || error.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
                    || error.Message.Contains("Failed to allocate", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>One sentence saying why the run failed.</summary>
    public static string Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (IsOutOfMemory(error))
            return "The run ran out of memory (libtorch could not allocate a tensor); use a smaller model, --batch-size or --limit-train, or fewer --jobs.";
        string message = error is ArgumentException argument ? SpecArguments.Sentence(argument) : error.Message;
        // libtorch appends its C++ frames after the first line; the first line is the reason.
        message = message.Split('\n', 2)[0].Trim();
        int frames = message.IndexOf("Exception raised from", StringComparison.Ordinal);
        if (frames > 0)
            message = message[..frames].Trim();
        if (IsLibTorchInternal(error))
            return LibTorchInternal(message);
        if (message.Length == 0)
            message = "it failed without a message";
        return message.EndsWith('.') ? message : message + ".";
    }

    // TorchSharp raises what libtorch throws as a plain ExternalException (its subclasses, such as Win32Exception, are the OS's).
    private static bool IsLibTorchInternal(Exception error) => error.GetType() == typeof(ExternalException);

    // An assertion inside libtorch ("Expected false to be true, but got false") names no setting the user could change:
    // say where it came from, that the run replays from its seed, and how to train it again.
    private static string LibTorchInternal(string message)
    {
        int plea = message.IndexOf("(Could this error message be improved?", StringComparison.Ordinal);
        if (plea >= 0)
            message = message[..plea];
        message = message.Trim().TrimEnd('.');
        string quoted = message.Length == 0 ? "" : $": '{message}'";
        return $"libtorch stopped the run with an internal error{quoted}; no setting of the run names it, and the run replays bit for bit from its seed, so train it again (a sweep: noiselab sweep SPEC --retry-failed) and report it with the spec if it repeats.";
    }
}
