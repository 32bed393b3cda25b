using System.Security.Cryptography;

namespace NoiseLab.Experiments;

/// <summary>Names this process as a worker of a store: host, process id and a random tag, unique even across containers that reuse process ids.</summary>
public static class Worker
{
    /// <summary>This process's worker name.</summary>
    public static string Current { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    /// <summary>
    /// Whether <paramref name="worker"/> names a process of this machine that has exited. A process id
    /// reused by another process reads as alive, so the answer errs towards waiting out the lease.
    /// </summary>
    public static bool IsDeadHere(string worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        string[] parts = worker.Split(':');
        if (parts.Length != 3 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out int pid))
            return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited || IsZombie(pid);
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    // A process killed with -9 stays a zombie (state Z in /proc/PID/stat) until its parent reaps it, which a parent that
    // was itself killed never does: it trains nothing and holds nothing, so it counts as dead.
    private static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int nameEnd = stat.LastIndexOf(')');
            return nameEnd > 0 && nameEnd + 2 < stat.Length && stat[nameEnd + 2] is 'Z' or 'X';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
