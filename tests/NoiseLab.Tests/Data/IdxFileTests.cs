using System.Buffers.Binary;
using NoiseLab.Data;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("images.idx")]
    [InlineData("images.idx.gz")]
    public void A_written_file_reads_back_exactly(string name)
    {
        var data = new byte[3 * 4 * 5];
        new Random(7).NextBytes(data);
        string path = _folder.File(name);

        IdxFile.Write(path, new IdxArray([3, 4, 5], data));
        IdxArray read = IdxFile.Read(path);

        Assert.Equal([3, 4, 5], read.Shape);
        Assert.Equal(data, read.Data);
        Assert.Equal(3, read.Count);
    }

    [Fact]
    public void A_label_file_has_one_dimension()
    {
        string path = _folder.File("labels.idx");
        IdxFile.Write(path, new IdxArray([4], [1, 2, 3, 9]));

        IdxArray read = IdxFile.Read(path);

        Assert.Equal([4], read.Shape);
        Assert.Equal(new byte[] { 1, 2, 3, 9 }, read.Data);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string path = _folder.File("nowhere.idx");

        var error = Assert.Throws<DataSetException>(() => IdxFile.Read(path));

        Assert.Equal($"IDX file '{path}' does not exist.", error.Message);
    }

    [Fact]
    public void A_wrong_magic_number_is_reported_in_hex()
    {
        string path = _folder.File("wrong.idx");
        File.WriteAllBytes(path, [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 1, 7]);

        var error = Assert.Throws<DataSetException>(() => IdxFile.Read(path));

        Assert.Contains("wrong magic number 0x504B0304", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_data_reports_how_many_bytes_are_missing()
    {
        string path = _folder.File("short.idx");
        IdxFile.Write(path, new IdxArray([2, 3], [1, 2, 3, 4, 5, 6]));
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^2]);

        var error = Assert.Throws<DataSetException>(() => IdxFile.Read(path));

        Assert.Contains("is truncated: its header [2 x 3] needs 6 data bytes but only 4 are there", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_count_smaller_than_the_data_is_a_disagreement()
    {
        string path = _folder.File("long.idx");
        IdxFile.Write(path, new IdxArray([2, 3], [1, 2, 3, 4, 5, 6]));
        File.AppendAllText(path, "extra");

        var error = Assert.Throws<DataSetException>(() => IdxFile.Read(path));

        Assert.Contains("is longer than its header [2 x 3] says (6 data bytes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_that_ends_early_is_reported()
    {
        string path = _folder.File("header.idx");
        byte[] bytes = new byte[8];
        bytes[2] = 0x08;
        bytes[3] = 3;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), 10);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<DataSetException>(() => IdxFile.Read(path));

        Assert.Contains("ends inside its header (dimension 2 of 3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Float_elements_are_refused_with_the_type_named()
    {
        string path = _folder.File("floats.idx");
        File.WriteAllBytes(path, [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]);

        var error = Assert.Throws<DataSetException>(() => IdxFile.Read(path));

        Assert.Contains("elements of type 0x0D", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_gzip_file_is_reported_as_such()
    {
        string path = _folder.File("broken.idx.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

        var error = Assert.Throws<DataSetException>(() => IdxFile.Read(path));

        Assert.Contains("is not valid gzip data", error.Message, StringComparison.Ordinal);
    }
}
