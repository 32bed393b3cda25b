using System.Runtime.InteropServices;

namespace NoiseLab.Checkpoints;

/// <summary>
/// Replaces a file so that a crash at any instant leaves either the old file or the complete new one:
/// the bytes go to a temporary file beside it, are flushed to the disk, the temporary file is renamed
/// over the target, and the folder is synced so that the rename itself survives a power cut.
/// </summary>
public static partial class DurableFile
{
    /// <summary>The suffix of a file being written; such files are leftovers after a crash and never read.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, durably and atomically.</summary>
    /// <exception cref="IOException">The write failed (e.g. the disk is full); the previous file, if any, is untouched.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string partial = path + PartialSuffix;
        try
        {
            using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                FaultInjection.Hit("checkpoint-write");
                stream.Flush(flushToDisk: true);
            }
            File.Move(partial, path, overwrite: true);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
        SyncFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Flushes a folder's entries (creations, renames, deletions) to the disk.</summary>
    public static void SyncFolder(string folder)
    {
        // Windows has no way to fsync a directory and needs none for renames to be ordered.
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return;
        int descriptor = Open(folder, 0);
        if (descriptor < 0)
            return;
        try
        {
            FileSync(descriptor);
        }
        finally
        {
            Close(descriptor);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A partial file left behind is ignored by readers and replaced by the next write.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FileSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
