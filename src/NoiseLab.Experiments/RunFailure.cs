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
        if (message.Length == 0)
            message = "it failed without a message";
        return message.EndsWith('.') ? message : message + ".";
    }
}
