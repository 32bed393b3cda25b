namespace NoiseLab.Checkpoints;

/// <summary>A checkpoint file is damaged or not a checkpoint; it is never loaded.</summary>
public sealed class CheckpointCorruptException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/>, saying <paramref name="reason"/>.</summary>
    public CheckpointCorruptException(string source, string reason)
        : base($"The checkpoint '{source}' cannot be used: {reason}.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CheckpointCorruptException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CheckpointCorruptException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public CheckpointCorruptException() { }
}
