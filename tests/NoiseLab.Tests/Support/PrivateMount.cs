namespace NoiseLab.Tests.Support;

/// <summary>
/// Runs noiselab with a folder whose storage misbehaves for real, even for root, in a private mount namespace
/// (no other process sees the mount, and it goes when noiselab ends): bind-mounted read-only over itself,
/// where every write fails with EROFS as on a read-only mount; or a small tmpfs, where writes fail with
/// ENOSPC once it is full. As another user, a read-only folder is one without write permission.
/// </summary>
internal static class PrivateMount
{
    // The shell's exit status when the mount is refused (no CAP_SYS_ADMIN), told apart from noiselab's own.
    private const int MountRefused = 97;

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "NoiseLab.Cli.dll");

    /// <summary>Runs noiselab with <paramref name="folder"/> read-only.</summary>
    public static CliProcess.Outcome ReadOnly(string folder, params string[] arguments)
    {
        if (Environment.UserName != "root")
            return WithoutWritePermission(folder, () => CliProcess.Start("dotnet", [Cli, .. arguments], workingDirectory: null, TimeSpan.FromMinutes(5)));
        return Unshared("mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\"", "exec \"$@\"", folder, folder, arguments);
    }

    /// <summary>
    /// Runs noiselab with an empty tmpfs of <paramref name="kilobytes"/> KiB mounted on <paramref name="folder"/>,
    /// and copies what it left there into <paramref name="copyTo"/> before the mount goes.
    /// </summary>
    public static CliProcess.Outcome OnSmallDisk(string folder, int kilobytes, string copyTo, params string[] arguments)
    {
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(copyTo);
        return Unshared($"mount -t tmpfs -o size={kilobytes}k tmpfs \"$1\"", "\"$@\"; status=$?; cp -a \"$dir\"/. \"$out\"/; exit $status", folder, copyTo, arguments);
    }

    private static CliProcess.Outcome Unshared(string mount, string run, string folder, string copyTo, string[] arguments)
    {
        var outcome = CliProcess.Start("unshare",
            ["--mount", "--propagation", "private", "sh", "-c", $"{mount} || exit {MountRefused}; dir=$1; out=$2; shift 2; {run}", "sh", folder, copyTo, "dotnet", Cli, .. arguments],
            workingDirectory: null, TimeSpan.FromMinutes(5));
        if (outcome.ExitCode == MountRefused || outcome.StandardError.StartsWith("unshare:", StringComparison.Ordinal))
            throw new SkipException($"This user may not mount a folder in a namespace of its own ({outcome.StandardError.Trim()}); run the test as root where unshare --mount is allowed.");
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
