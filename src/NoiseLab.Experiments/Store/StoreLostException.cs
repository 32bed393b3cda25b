namespace NoiseLab.Experiments;

/// <summary>
/// The store stopped accepting writes in the middle of a sweep (its disk filled, its server went away);
/// the message names the store, the cause and what becomes of the run that was training.
/// </summary>
public sealed class StoreLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreLostException() { }

    /// <summary>Creates the exception.</summary>
    public StoreLostException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public StoreLostException(string message, Exception inner) : base(message, inner) { }
}
