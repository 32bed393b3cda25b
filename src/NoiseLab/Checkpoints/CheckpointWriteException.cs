namespace NoiseLab.Checkpoints;

/// <summary>A checkpoint could not be written (a full disk, a lost mount); the ones written before are intact.</summary>
public sealed class CheckpointWriteException : IOException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointWriteException() { }

    /// <summary>Creates the exception with a message.</summary>
    public CheckpointWriteException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public CheckpointWriteException(string message, Exception inner) : base(message, inner) { }
}
