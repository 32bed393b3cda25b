using System.IO.Compression;
using CsCheck;

namespace NoiseLab.Tests.Fuzzing;

/// <summary>Helpers shared by the fuzzing properties.</summary>
internal static class FuzzInputs
{
    /// <summary>The gzip form of <paramref name="bytes"/>.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(bytes);
        return memory.ToArray();
    }

    /// <summary>A short description of an input for failure messages: its length and its first bytes in hex.</summary>
    public static string Describe(byte[] bytes) =>
        $"{bytes.Length} bytes: {Convert.ToHexString(bytes, 0, Math.Min(bytes.Length, 256))}{(bytes.Length > 256 ? "..." : "")}";

    /// <summary>A sparse file of <paramref name="length"/> bytes that starts with <paramref name="head"/>: it claims a size but takes no disk.</summary>
    public static void WriteSparse(string path, byte[] head, long length)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.Write(head);
        file.SetLength(length);
    }

    /// <summary>Random text lines made of <paramref name="words"/>.</summary>
    public static Gen<string> Words(IReadOnlyList<string> words, int minWords, int maxWords) =>
        Gen.Int[0, words.Count - 1].Array[minWords, maxWords].Select(ids => string.Join(' ', ids.Select(i => words[i])));
}
