using System.Globalization;

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

    /// <summary>The message for a training split of <paramref name="count"/> <paramref name="items"/> too small for the validation split carved out of it.</summary>
    internal static string TooFewForValidation(string what, int count, string items, int validation) =>
        string.Create(CultureInfo.InvariantCulture, $"{what} holds {count} {items}; the validation split takes {validation:N0} of them and needs at least one left for training, so pass a smaller --val-size or use the complete data set.");
}
