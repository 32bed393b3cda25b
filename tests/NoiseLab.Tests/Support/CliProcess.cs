using System.Diagnostics;

namespace NoiseLab.Tests.Support;

/// <summary>Runs child processes for the tests: the real noiselab command, and dotnet itself.</summary>
internal static class CliProcess
{
    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs noiselab (NoiseLab.Cli.dll beside the tests) with <paramref name="arguments"/>.</summary>
    public static Outcome Run(params string[] arguments) =>
        Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "NoiseLab.Cli.dll"), .. arguments], workingDirectory: null, TimeSpan.FromMinutes(5));

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
        return new Outcome(process.ExitCode, output.Result, error.Result);
    }
}
