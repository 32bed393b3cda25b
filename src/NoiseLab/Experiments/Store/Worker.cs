using System.Security.Cryptography;

namespace NoiseLab.Experiments;

/// <summary>Names this process as a worker of a store: host, process id and a random tag, unique even across containers that reuse process ids.</summary>
public static class Worker
{
    /// <summary>This process's worker name.</summary>
    public static string Current { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}
