namespace NoiseLab.Experiments;

/// <summary>
/// Another worker has reclaimed a run this worker was training (its heartbeat had gone stale); this
/// worker stops and writes nothing more for it.
/// </summary>
public sealed class LeaseLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LeaseLostException() { }

    /// <summary>Creates the exception with a message.</summary>
    public LeaseLostException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public LeaseLostException(string message, Exception inner) : base(message, inner) { }
}
