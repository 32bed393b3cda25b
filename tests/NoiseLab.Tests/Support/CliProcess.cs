using System.Diagnostics;

namespace NoiseLab.Tests.Support;

/// <summary>Runs child processes for the tests: the real noiselab command, and dotnet itself.</summary>
internal static class CliProcess
{
    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs noiselab (NoiseLab.Cli.dll beside the tests) with <paramref name="arguments"/>.</summary>
    public static Outcome Run(params string[] arguments) =>
        Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "NoiseLab.Cli.dll"), .. arguments], workingDirectory: null, TimeSpan.FromMinutes(5));

    /// <summary>A noiselab process left running, its output collected as it comes.</summary>
    public sealed class Launched(Process process, Task<string> output, Task<string> error) : IDisposable
    {
        public Process Process { get; } = process;

        public Task<string> Output { get; } = output;

        public Task<string> Error { get; } = error;

        public void Dispose() => Process.Dispose();
    }

    /// <summary>Starts noiselab with <paramref name="arguments"/> and returns at once, for tests that stop, kill or race it.</summary>
    public static Launched Launch(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NoiseLab.Cli.dll"));
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var process = Process.Start(start)!;
        return new Launched(process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }

    /// <summary>Runs <paramref name="program"/> and waits for it, killing it after <paramref name="timeout"/>.</summary>
    public static Outcome Start(string program, IEnumerable<string> arguments, string? workingDirectory, TimeSpan timeout, Action<ProcessStartInfo>? configure = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        configure?.Invoke(start);

        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish in {timeout}.");
        }
        // The pipes close when every process holding them ends: a child left behind (a server it started) keeps
        // them open, which must fail the test, not hang it.
        if (!Task.WaitAll([output, error], TimeSpan.FromMinutes(1)))
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} exited, but a process it started still holds its output open after a minute.");
        return new Outcome(process.ExitCode, output.Result, error.Result);
    }
}
