using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace NoiseLab.Data;

/// <summary>
/// Reads and writes IDX files, the format of MNIST and Fashion-MNIST: a 4-byte magic number
/// (two zero bytes, the element type, the number of dimensions), one big-endian 32-bit size
/// per dimension, then the elements. Files ending in <c>.gz</c> are gzip-compressed.
/// Only unsigned-byte elements (type 0x08), the type every MNIST-family file uses, are read.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByte = 0x08;
    private const int MaxDimensions = 8;
    private const int FirstChunk = 1 << 20;

    /// <summary>Reads <paramref name="path"/>, checking the magic number, the dimensions and the length.</summary>
    /// <exception cref="DataSetException">The file is missing, unreadable or malformed; the message says which.</exception>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path))
            throw new DataSetException($"IDX file '{path}' does not exist.");
        try
        {
            using Stream file = File.OpenRead(path);
            using Stream content = IsGzip(path) ? new GZipStream(file, CompressionMode.Decompress) : file;
            return Parse(path, content);
        }
        catch (InvalidDataException e)
        {
            throw new DataSetException($"IDX file '{path}' is not valid gzip data ({e.Message}); download it again.", e);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new DataSetException($"IDX file '{path}' could not be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataSetException($"IDX file '{path}' could not be opened: {e.Message}", e);
        }
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/> (gzip-compressed when it ends in .gz).</summary>
    public static void Write(string path, IdxArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        long expected = ElementCount(array.Shape);
        if (expected != array.Data.Length)
            throw new ArgumentException($"The data holds {array.Data.Length} bytes but the shape [{string.Join(", ", array.Shape)}] needs {expected}.", nameof(array));

        using Stream file = File.Create(path);
        using Stream content = IsGzip(path) ? new GZipStream(file, CompressionLevel.Fastest) : file;
        Span<byte> header = stackalloc byte[4 + 4 * array.Shape.Length];
        header[2] = UnsignedByte;
        header[3] = (byte)array.Shape.Length;
        for (int i = 0; i < array.Shape.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.Slice(4 + 4 * i), array.Shape[i]);
        content.Write(header);
        content.Write(array.Data);
    }

    private static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    private static IdxArray Parse(string path, Stream content)
    {
        Span<byte> magic = stackalloc byte[4];
        if (ReadFully(content, magic) < 4)
            throw new DataSetException($"IDX file '{path}' is too short to hold a header; download it again.");
        if (magic[0] != 0 || magic[1] != 0 || magic[3] == 0 || magic[3] > MaxDimensions)
            throw new DataSetException($"IDX file '{path}' has the wrong magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):X8}; it is not an IDX file (expected 0x0000080N, e.g. 0x00000803 for images).");
        if (magic[2] != UnsignedByte)
            throw new DataSetException($"IDX file '{path}' holds elements of type 0x{magic[2]:X2}; NoiseLab reads unsigned-byte IDX files (type 0x08), the type of MNIST and Fashion-MNIST.");

        int rank = magic[3];
        var shape = new int[rank];
        Span<byte> size = stackalloc byte[4];
        for (int i = 0; i < rank; i++)
        {
            if (ReadFully(content, size) < 4)
                throw new DataSetException($"IDX file '{path}' ends inside its header (dimension {i + 1} of {rank}); download it again.");
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(size);
            if (shape[i] <= 0)
                throw new DataSetException($"IDX file '{path}' declares dimension {i + 1} as {shape[i]}; sizes must be positive.");
        }

        long expected = ElementCount(shape);
        if (expected > Array.MaxLength)
            throw new DataSetException(string.Create(CultureInfo.InvariantCulture, $"IDX file '{path}' has a header [{string.Join(" x ", shape)}] that claims more than {Array.MaxLength:N0} elements, more than NoiseLab can hold in memory; the header is damaged or it is not an MNIST-family file, so download it again."));
        byte[] data = ReadData(content, expected, out int read);
        if (read < expected)
            throw new DataSetException($"IDX file '{path}' is truncated: its header [{string.Join(" x ", shape)}] needs {expected} data bytes but only {read} are there; download it again.");
        if (content.ReadByte() != -1)
            throw new DataSetException($"IDX file '{path}' is longer than its header [{string.Join(" x ", shape)}] says ({expected} data bytes); the header and the data disagree.");
        return new IdxArray(shape, data);
    }

    // The product of the sizes, or long.MaxValue once it passes Array.MaxLength (so that eight large sizes cannot wrap around).
    private static long ElementCount(int[] shape)
    {
        long count = 1;
        foreach (int dimension in shape)
        {
            count *= dimension;
            if (count > Array.MaxLength)
                return long.MaxValue;
        }
        return count;
    }

    // Reads up to `expected` bytes without trusting the header for the allocation: a file whose length is
    // known is checked first, and a gzip stream's buffer grows with the data actually there.
    private static byte[] ReadData(Stream content, long expected, out int read)
    {
        if (content.CanSeek && content.Length - content.Position < expected)
        {
            read = (int)Math.Max(0, content.Length - content.Position);
            return [];
        }
        var data = new byte[Math.Min(expected, FirstChunk)];
        read = ReadFully(content, data);
        while (read == data.Length && data.Length < expected)
        {
            Array.Resize(ref data, (int)Math.Min(expected, 2L * data.Length));
            read += ReadFully(content, data.AsSpan(read));
        }
        return data;
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0)
                break;
            total += n;
        }
        return total;
    }
}
