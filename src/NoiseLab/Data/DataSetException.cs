namespace NoiseLab.Data;

/// <summary>
/// A data set is missing, unreadable or malformed. The message is meant for the user:
/// it names the file and says what is wrong and how to fix it.
/// </summary>
public sealed class DataSetException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public DataSetException(string message) : base(message) { }

    /// <summary>Creates the exception with a message for the user and the failure behind it.</summary>
    public DataSetException(string message, Exception inner) : base(message, inner) { }
}
