namespace NoiseLab.Tests.Support;

/// <summary>Runs the dotnet CLI as a user would, outside the test host's own MSBuild settings.</summary>
internal static class DotnetCommand
{
    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> and returns its output; a failure fails the test with both streams.</summary>
    public static string Run(string workingDirectory, params string[] arguments)
    {
        var outcome = CliProcess.Start("dotnet", arguments, workingDirectory, TimeSpan.FromMinutes(10), start =>
        {
            // The test host runs under 'dotnet test'; its MSBuild settings must not leak into these builds.
            foreach (string variable in new[] { "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
                start.Environment.Remove(variable);
            // A reused MSBuild node outlives the command and keeps its output pipes open, so reading them to the end
            // never finishes: on a machine without MSBUILDDISABLENODEREUSE=1 (a fresh one) the packaging tests hung.
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
        });
        Assert.True(outcome.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed:\n{outcome.StandardOutput}\n{outcome.StandardError}");
        return outcome.StandardOutput;
    }
}
