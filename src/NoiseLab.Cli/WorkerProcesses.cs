using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NoiseLab.Cli;

/// <summary>Runs <c>noiselab</c> worker processes side by side and waits for them; a stop request is passed on to each as SIGTERM.</summary>
internal static partial class WorkerProcesses
{
    private const int SigTerm = 15;

    /// <summary>Starts <paramref name="count"/> processes of this command with <paramref name="arguments"/> and <paramref name="environment"/>; returns their exit codes.</summary>
    public static int[] RunAll(int count, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken stop)
    {
        var processes = new List<Process>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                ProcessStartInfo start = StartInfo(arguments);
                foreach (var (name, value) in environment)
                    start.Environment[name] = value;
                processes.Add(Process.Start(start)!);
            }
            using CancellationTokenRegistration forward = stop.Register(() =>
            {
                foreach (Process process in processes.Where(p => !p.HasExited))
                    _ = Kill(process.Id, SigTerm);
            });
            foreach (Process process in processes)
                process.WaitForExit();
            return [.. processes.Select(p => p.ExitCode)];
        }
        finally
        {
            foreach (Process process in processes)
                process.Dispose();
        }
    }

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        try
        {
            return SelfProcess.StartInfo(arguments);
        }
        catch (InvalidOperationException)
        {
            throw new InvalidOperationException("The path of this process is unknown, so --jobs cannot start workers; start several 'noiselab sweep' processes instead.");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
