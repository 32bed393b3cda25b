using System.Diagnostics;

namespace NoiseLab.Tests.Support;

/// <summary>Runs the real noiselab command (NoiseLab.Cli.dll beside the tests) as a separate process.</summary>
internal static class CliProcess
{
    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError);

    public static Outcome Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NoiseLab.Cli.dll"));
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"noiselab {string.Join(' ', arguments)} did not finish in 5 minutes.");
        }
        return new Outcome(process.ExitCode, output.Result, error.Result);
    }
}
