using System.Security.Cryptography;

namespace NoiseLab.Data;

/// <summary>
/// Downloads a file and keeps it only if its length and SHA-256 match what the publisher lists.
/// The bytes go to a temporary file beside the target, which is renamed into place only after
/// the check, so an interrupted or corrupted download never leaves a file that looks complete.
/// </summary>
public sealed class ChecksummedDownload
{
    private readonly HttpClient _http;

    /// <summary>Uses <paramref name="http"/> for requests (tests can pass a handler of their own).</summary>
    public ChecksummedDownload(HttpClient http) => _http = http;

    /// <summary>Fetches <paramref name="file"/> from the first of <paramref name="mirrors"/> that serves it intact.</summary>
    /// <returns>The path of the verified file in <paramref name="folder"/>.</returns>
    /// <exception cref="DataSetException">No mirror served the file with the expected checksum.</exception>
    public async Task<string> FetchAsync(RemoteFile file, IReadOnlyList<Uri> mirrors, string folder, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(mirrors);
        Directory.CreateDirectory(folder);
        string target = Path.Combine(folder, file.FileName);
        var failures = new List<string>();
        foreach (Uri mirror in mirrors)
        {
            var source = new Uri(mirror, file.FileName);
            string temporary = target + ".part";
            try
            {
                string sha256 = await DownloadAsync(source, temporary, cancellation).ConfigureAwait(false);
                long length = new FileInfo(temporary).Length;
                if (length != file.Size || !string.Equals(sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{source} gave {length} bytes with SHA-256 {sha256}, expected {file.Size} bytes with {file.Sha256}");
                    continue;
                }
                File.Move(temporary, target, overwrite: true);
                return target;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellation.IsCancellationRequested)
            {
                failures.Add($"{source}: {e.Message}");
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        throw new DataSetException($"Could not download {file.FileName}: {string.Join("; ", failures)}.");
    }

    private async Task<string> DownloadAsync(Uri source, string temporary, CancellationToken cancellation)
    {
        using HttpResponseMessage response = await _http.GetAsync(source, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await body.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                await output.WriteAsync(buffer.AsMemory(0, n), cancellation).ConfigureAwait(false);
            }
            await output.FlushAsync(cancellation).ConfigureAwait(false);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
