using System.Buffers.Binary;
using System.Text;

namespace NoiseLab.Tests.Support;

/// <summary>
/// Reads a PNG file's structure (PNG specification, 3rd edition, sections 5.2–5.4): the eight-byte
/// signature, then chunks of length, type, data and a CRC-32 over type and data; IHDR first (13
/// bytes: width, height, ...), IEND last. Throws <see cref="InvalidDataException"/> naming the first problem.
/// </summary>
internal sealed record PngFile(int Width, int Height, IReadOnlyList<string> Chunks)
{
    private static readonly byte[] s_signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] s_crcTable = BuildCrcTable();

    public static PngFile Read(byte[] bytes)
    {
        if (bytes.Length < s_signature.Length || !bytes.AsSpan(0, s_signature.Length).SequenceEqual(s_signature))
            throw new InvalidDataException("The file does not start with the PNG signature.");
        var chunks = new List<string>();
        int width = 0, height = 0;
        int offset = s_signature.Length;
        while (offset < bytes.Length)
        {
            if (offset + 12 > bytes.Length)
                throw new InvalidDataException($"A chunk header at byte {offset} runs past the end of the file.");
            int length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset)));
            if (offset + 12L + length > bytes.Length)
                throw new InvalidDataException($"The chunk at byte {offset} says {length} bytes, more than the file holds.");
            string type = Encoding.ASCII.GetString(bytes, offset + 4, 4);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset + 8 + length));
            uint computed = Crc32(bytes.AsSpan(offset + 4, 4 + length));
            if (stored != computed)
                throw new InvalidDataException($"The {type} chunk at byte {offset} has CRC {stored:x8}; its contents give {computed:x8}.");
            if (chunks.Count == 0)
            {
                if (type != "IHDR" || length != 13)
                    throw new InvalidDataException($"The first chunk is {type} of {length} bytes, not IHDR of 13.");
                width = checked((int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset + 8)));
                height = checked((int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset + 12)));
            }
            chunks.Add(type);
            offset += 12 + length;
        }
        if (chunks.Count == 0 || chunks[^1] != "IEND")
            throw new InvalidDataException("The file does not end with an IEND chunk.");
        return new PngFile(width, height, chunks);
    }

    /// <summary>CRC-32 as PNG uses it (polynomial 0xEDB88320 reflected, initial and final XOR 0xFFFFFFFF).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
            crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFF;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
