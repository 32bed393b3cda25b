namespace NoiseLab.Experiments;

/// <summary>Tells whether a path lies on a network filesystem, where SQLite's file locks cannot be trusted.</summary>
public static class NetworkFilesystem
{
    private static readonly HashSet<string> s_networkKinds = new(StringComparer.Ordinal)
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ceph", "fuse.ceph", "glusterfs", "fuse.glusterfs", "lustre", "fuse.s3fs", "beegfs", "gpfs", "fuse.gcsfuse",
    };

    /// <summary>The network filesystem type <paramref name="path"/> is on (e.g. "nfs4"), or null for a local one or when it cannot be told.</summary>
    public static string? Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        const string Mounts = "/proc/self/mounts";
        if (!OperatingSystem.IsLinux() || !File.Exists(Mounts))
            return null;
        try
        {
            return Of(path, File.ReadAllText(Mounts));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Like <see cref="Of(string)"/>, reading the mount table from <paramref name="mounts"/> (the format of /proc/self/mounts).</summary>
    public static string? Of(string path, string mounts)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(mounts);
        string full = Path.GetFullPath(path);
        string? best = null, kind = null;
        foreach (string line in mounts.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ');
            if (fields.Length < 3)
                continue;
            // Spaces in mount points are written as \040.
            string mountPoint = fields[1].Replace("\\040", " ", StringComparison.Ordinal);
            bool contains = mountPoint == "/" || full == mountPoint || full.StartsWith(mountPoint.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (contains && (best is null || mountPoint.Length >= best.Length))
                (best, kind) = (mountPoint, fields[2]);
        }
        return kind is not null && s_networkKinds.Contains(kind) ? kind : null;
    }
}
