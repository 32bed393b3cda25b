namespace NoiseLab.Experiments;

/// <summary>The store cannot be used as asked; the message says why and what to do.</summary>
public sealed class RunStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RunStoreException() { }

    /// <summary>Creates the exception.</summary>
    public RunStoreException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public RunStoreException(string message, Exception inner) : base(message, inner) { }
}
