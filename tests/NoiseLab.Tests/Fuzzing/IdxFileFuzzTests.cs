using System.Buffers.Binary;
using CsCheck;
using NoiseLab.Data;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Fuzzing;

/// <summary>IDX files (MNIST's format), raw and gzipped, damaged every way: they read or fail with a <see cref="DataSetException"/>.</summary>
public sealed class IdxFileFuzzTests : IDisposable
{
    private static readonly byte[][] s_tokens = [[0, 0, 8, 3], [0, 0, 8, 1], [0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF], [0x1F, 0x8B, 8, 0]];
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A valid IDX file's bytes (rank 1 to 3, sizes 1 to 4), written the way the format says.</summary>
    internal static readonly Gen<byte[]> s_valid =
        Gen.Int[1, 4].Array[1, 3].SelectMany(shape => Gen.Byte.Array[shape.Aggregate(1, (a, b) => a * b)].Select(data => Encode(shape, data)));

    internal static byte[] Encode(int[] shape, byte[] data)
    {
        var bytes = new byte[4 + 4 * shape.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), shape[i]);
        data.CopyTo(bytes, 4 + 4 * shape.Length);
        return bytes;
    }

    // (file bytes, gzipped?) — gzip is applied before or after the damage, to reach both the gzip and the IDX checks.
    private static readonly Gen<(byte[] Bytes, bool Gzip)> s_inputs =
        Gen.Select(s_valid, Mutation.Several(s_tokens), Gen.Int[0, 2], (valid, mutations, form) => form switch
        {
            0 => (Mutation.ApplyAll(valid, mutations), false),
            1 => (FuzzInputs.Gzip(Mutation.ApplyAll(valid, mutations)), true),
            _ => (Mutation.ApplyAll(FuzzInputs.Gzip(valid), mutations), true),
        });

    [Fact]
    public void Every_valid_file_reads_back_its_shape_and_data()
    {
        s_valid.Sample(bytes =>
        {
            string path = _folder.File("valid.idx");
            File.WriteAllBytes(path, bytes);
            IdxArray read = IdxFile.Read(path);
            Assert.Equal(bytes.Length - 4 - 4 * read.Shape.Length, read.Data.Length);
            Assert.Equal(read.Data.Length, read.Shape.Aggregate(1, (a, b) => a * b));
        }, iter: 50, threads: 1);
    }

    [Fact]
    public void A_damaged_file_reads_or_fails_with_a_DataSetException()
    {
        FuzzCheck.Property<(byte[] Bytes, bool Gzip), DataSetException>(s_inputs, input =>
        {
            string path = _folder.File(input.Gzip ? "fuzz.idx.gz" : "fuzz.idx");
            File.WriteAllBytes(path, input.Bytes);
            try
            {
                IdxArray array = IdxFile.Read(path);
                // What reads is consistent: the shape's product is the data's length.
                long product = array.Shape.Aggregate(1L, (a, b) => a * b);
                if (product != array.Data.Length || array.Shape.Any(d => d <= 0))
                    throw new FuzzFailureException($"IdxFile.Read returned shape [{string.Join(", ", array.Shape)}] with {array.Data.Length} data bytes.");
            }
            catch (DataSetException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
            {
                throw new FuzzFailureException($"The error does not name the file: {e.Message}");
            }
        }, input => input.Bytes.Length, iterations: 400, print: input => $"gzip={input.Gzip}, {FuzzInputs.Describe(input.Bytes)}");
    }

    [Theory]
    [InlineData("huge.idx", new[] { 0x7FFF_FFC0 })]
    [InlineData("huge.idx.gz", new[] { 0x7FFF_FFC0 })]
    [InlineData("huge.idx", new[] { 0x4000_0000, 1 })]
    [InlineData("huge.idx", new[] { 60_000, 28, 28, 28 })]
    public void A_header_that_claims_a_huge_array_fails_fast_without_allocating_it(string name, int[] shape)
    {
        string path = _folder.File(name);
        byte[] bytes = Encode(shape, new byte[100]);
        File.WriteAllBytes(path, name.EndsWith(".gz", StringComparison.Ordinal) ? FuzzInputs.Gzip(bytes) : bytes);

        var error = FuzzCheck.Expect<DataSetException>(() => IdxFile.Read(path), bytes.Length, allocationLimit: 4L << 20);

        Assert.NotNull(error);
        Assert.Equal($"IDX file '{path}' is truncated: its header [{string.Join(" x ", shape)}] needs {shape.Aggregate(1L, (a, b) => a * b)} data bytes but only 100 are there; download it again.", error.Message);
    }

    [Theory]
    [InlineData(new[] { 65_536, 65_536, 65_536, 65_536 })]
    [InlineData(new[] { int.MaxValue, int.MaxValue, int.MaxValue })]
    [InlineData(new[] { 0x8000, 0x8000, 0x8000, 2, 0x8000, 0x8000, 0x8000, 0x8000 })]
    public void A_header_whose_size_overflows_64_bits_is_too_large_not_empty(int[] shape)
    {
        string path = _folder.File("overflow.idx");
        File.WriteAllBytes(path, Encode(shape, []));

        var error = FuzzCheck.Expect<DataSetException>(() => IdxFile.Read(path), 64, allocationLimit: 1L << 20);

        Assert.NotNull(error);
        Assert.Equal($"IDX file '{path}' has a header [{string.Join(" x ", shape)}] that claims more than 2,147,483,591 elements, more than NoiseLab can hold in memory; the header is damaged or it is not an MNIST-family file, so download it again.", error.Message);
    }
}
