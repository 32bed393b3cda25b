namespace NoiseLab.Checkpoints;

/// <summary>A checkpoint belongs to another run configuration; resuming from it would mix two runs.</summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CheckpointMismatchException() { }

    /// <summary>Creates the exception with a message that says what to do.</summary>
    public CheckpointMismatchException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public CheckpointMismatchException(string message, Exception inner) : base(message, inner) { }
}
