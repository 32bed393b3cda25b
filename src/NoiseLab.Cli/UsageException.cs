namespace NoiseLab.Cli;

/// <summary>The user asked for something impossible; the message says what and how to fix it.</summary>
internal sealed class UsageException(string message) : Exception(message);
