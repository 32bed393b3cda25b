using System.Buffers.Binary;
using System.Globalization;

namespace NoiseLab.TensorBoard;

/// <summary>
/// TFRecord framing, the container of event files. Each record is
/// <c>uint64 length | uint32 masked CRC-32C of the length's 8 bytes | data | uint32 masked CRC-32C of the data</c>,
/// all little-endian. The length has its own checksum so that a corrupt length is caught before it is trusted.
/// </summary>
internal static class TfRecord
{
    /// <summary>Bytes of framing around each record's data: 8 + 4 before, 4 after.</summary>
    public const int Overhead = HeaderSize + FooterSize;

    private const int HeaderSize = sizeof(ulong) + sizeof(uint);
    private const int FooterSize = sizeof(uint);

    /// <summary>
    /// Writes <paramref name="data"/> as one record, in a single <see cref="Stream.Write(ReadOnlySpan{byte})"/>: after a
    /// flush that is one write to the file, so a process killed at any moment leaves whole records or none.
    /// </summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var record = new byte[HeaderSize + data.Length + FooterSize];
        Span<byte> span = record;
        BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[sizeof(ulong)..], Crc32C.Masked(span[..sizeof(ulong)]));
        data.CopyTo(span[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(HeaderSize + data.Length)..], Crc32C.Masked(data));
        stream.Write(record);
    }

    /// <summary>
    /// Reads the record that starts at <paramref name="offset"/> (the stream's current position), checking
    /// both checksums, and moves <paramref name="offset"/> past it. Returns null at a clean end of the stream.
    /// </summary>
    /// <param name="stream">The stream, positioned at a record's start.</param>
    /// <param name="source">Names the stream in error messages (a file path).</param>
    /// <param name="index">The record's index, from 0, for error messages.</param>
    /// <param name="offset">The record's byte offset; advanced by the record's size.</param>
    /// <exception cref="InvalidDataException">The record is truncated or a checksum does not match.</exception>
    public static byte[]? Read(Stream stream, string source, int index, ref long offset)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[HeaderSize];
        int got = ReadFully(stream, header);
        if (got == 0)
            return null;
        string where = string.Create(CultureInfo.InvariantCulture, $"{source}: record {index} at byte {offset}");
        if (got < HeaderSize)
            throw Truncated(where, got, "its 12-byte header");

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
        uint storedLengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[sizeof(ulong)..]);
        uint lengthCrc = Crc32C.Masked(header[..sizeof(ulong)]);
        if (storedLengthCrc != lengthCrc)
            throw Corrupt(where, "length", storedLengthCrc, lengthCrc);
        if (length > (ulong)Array.MaxLength)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{where} claims {length} bytes of data, more than a record can hold."));
        // A length past the end of the file is a truncation; checking before allocating keeps a huge length cheap.
        if (stream.CanSeek && (long)length + FooterSize > stream.Length - stream.Position)
            throw Truncated(where, HeaderSize + (int)Math.Max(0, stream.Length - stream.Position), $"its {HeaderSize + (long)length + FooterSize} bytes");

        var data = new byte[length];
        int dataGot = ReadFully(stream, data);
        if (dataGot < data.Length)
            throw Truncated(where, HeaderSize + dataGot, $"its {HeaderSize + (long)length + FooterSize} bytes");
        Span<byte> footer = stackalloc byte[FooterSize];
        int footerGot = ReadFully(stream, footer);
        if (footerGot < FooterSize)
            throw Truncated(where, HeaderSize + data.Length + footerGot, $"its {HeaderSize + (long)length + FooterSize} bytes");
        uint storedDataCrc = BinaryPrimitives.ReadUInt32LittleEndian(footer);
        uint dataCrc = Crc32C.Masked(data);
        if (storedDataCrc != dataCrc)
            throw Corrupt(where, "data", storedDataCrc, dataCrc);

        offset += HeaderSize + data.Length + FooterSize;
        return data;
    }

    private static InvalidDataException Truncated(string where, long got, string expected) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"{where} is truncated: the file ends after {got} bytes of {expected} (was the writer stopped mid-record?)."));

    private static InvalidDataException Corrupt(string where, string part, uint stored, uint computed) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"{where} is corrupt: the stored checksum of its {part} is 0x{stored:x8} but the {part} hashes to 0x{computed:x8}."));

    private static int ReadFully(Stream stream, Span<byte> buffer) =>
        stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
}
