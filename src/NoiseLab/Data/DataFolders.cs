namespace NoiseLab.Data;

/// <summary>
/// Where NoiseLab looks for a data set, in order: the folder the user names (<c>--data-dir</c>),
/// else <c>$NOISELAB_DATA</c>, else the per-user cache (<c>$XDG_CACHE_HOME/noiselab/data</c>,
/// default <c>~/.cache/noiselab/data</c>), else the folder a system package installs to
/// (<c>/usr/share/datasets/NAME</c> on Debian). In each, the files may sit directly in the folder
/// or in a subfolder named after the data set.
/// </summary>
public static class DataFolders
{
    /// <summary>The per-user cache folder that downloads go to when no folder is named.</summary>
    public static string UserCache
    {
        get
        {
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string root = string.IsNullOrEmpty(xdg)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
                : xdg;
            return Path.Combine(root, "noiselab", "data");
        }
    }

    /// <summary>The folders to search for data set <paramref name="name"/>, most specific first.</summary>
    /// <param name="name">The data set's name, also the name of its subfolder.</param>
    /// <param name="options">The user's choice of folder, if any.</param>
    /// <param name="systemFolder">Where a system package puts the files, if one does.</param>
    public static IReadOnlyList<string> Candidates(string name, DataOptions options, string? systemFolder)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Directory is not null)
            return [options.Directory, Path.Combine(options.Directory, name)];

        var folders = new List<string>();
        string? fromEnvironment = Environment.GetEnvironmentVariable(DataOptions.EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
            folders.AddRange([fromEnvironment, Path.Combine(fromEnvironment, name)]);
        folders.Add(Path.Combine(UserCache, name));
        if (systemFolder is not null)
            folders.Add(systemFolder);
        return folders;
    }

    /// <summary>The folder a download of <paramref name="name"/> goes to.</summary>
    public static string DownloadTarget(string name, DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Directory is not null)
            return options.Directory;
        string? fromEnvironment = Environment.GetEnvironmentVariable(DataOptions.EnvironmentVariable);
        return string.IsNullOrEmpty(fromEnvironment)
            ? Path.Combine(UserCache, name)
            : Path.Combine(fromEnvironment, name);
    }
}
