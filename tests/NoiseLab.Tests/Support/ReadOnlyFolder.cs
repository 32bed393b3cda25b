namespace NoiseLab.Tests.Support;

/// <summary>
/// Runs noiselab with a folder that is read-only for it for real, even for root: as root, in a private mount
/// namespace where the folder is bind-mounted read-only over itself (every write fails with EROFS, as on a
/// read-only mount, and no other process sees the mount); as another user, with the write permission of the
/// folder and its files taken away for the run.
/// </summary>
internal static class ReadOnlyFolder
{
    // The shell's exit status when the mount is refused (no CAP_SYS_ADMIN), told apart from noiselab's own.
    private const int MountRefused = 97;

    public static CliProcess.Outcome Run(string folder, params string[] arguments)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "NoiseLab.Cli.dll");
        if (Environment.UserName != "root")
            return WithoutWritePermission(folder, () => CliProcess.Start("dotnet", [cli, .. arguments], workingDirectory: null, TimeSpan.FromMinutes(5)));
        var outcome = CliProcess.Start("unshare",
            ["--mount", "--propagation", "private", "sh", "-c",
                $"mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" || exit {MountRefused}; shift; exec \"$@\"", "sh", folder, "dotnet", cli, .. arguments],
            workingDirectory: null, TimeSpan.FromMinutes(5));
        if (outcome.ExitCode == MountRefused || outcome.StandardError.StartsWith("unshare:", StringComparison.Ordinal))
            throw new SkipException($"This root may not mount a folder read-only in a namespace of its own ({outcome.StandardError.Trim()}); run the test as another user, or where unshare --mount is allowed.");
        return outcome;
    }

    private static CliProcess.Outcome WithoutWritePermission(string folder, Func<CliProcess.Outcome> run)
    {
        if (OperatingSystem.IsWindows())
            throw new SkipException("Read-only folders are made with Unix file modes; this test runs on Linux.");
        const UnixFileMode Write = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        string[] entries = [folder, .. Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories)];
        var modes = entries.ToDictionary(e => e, File.GetUnixFileMode);
        try
        {
            foreach (var (entry, mode) in modes)
                File.SetUnixFileMode(entry, mode & ~Write);
            return run();
        }
        finally
        {
            foreach (var (entry, mode) in modes)
                File.SetUnixFileMode(entry, mode);
        }
    }
}
