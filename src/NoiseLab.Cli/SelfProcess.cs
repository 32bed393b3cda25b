using System.Diagnostics;

namespace NoiseLab.Cli;

/// <summary>How to start this program again as a child process (sweep workers, bench probes).</summary>
internal static class SelfProcess
{
    /// <summary>A start for this program with <paramref name="arguments"/>.</summary>
    // Under "dotnet NoiseLab.Cli.dll" the process is the dotnet host, which needs the assembly named again.
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown, so it cannot start child processes of itself.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        return start;
    }
}
