using System.Buffers.Binary;
using NoiseLab.TensorBoard;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.TensorBoard;

public sealed class EventFileTests : IDisposable
{
    // 2023-11-14T22:13:20.25Z: 1_700_000_000.25 s after the Unix epoch, exact in a double.
    private static readonly DateTimeOffset Start = DateTimeOffset.UnixEpoch.AddTicks(17_000_000_002_500_000L);

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string WriteTwoSteps()
    {
        var clock = new FixedClock(Start);
        using var writer = new EventFileWriter(_folder.Path, clock);
        clock.Now = Start.AddSeconds(1.5);
        writer.WriteScalars(1, [new("loss/train", 0.6931472f), new("accuracy/val", 0.5f)]);
        clock.Now = Start.AddSeconds(3);
        writer.WriteScalar("loss/train", 2, 0.125f);
        return writer.FilePath;
    }

    [Fact]
    public void The_file_is_named_after_the_start_time_in_unix_seconds_and_the_host()
    {
        string path = WriteTwoSteps();

        Assert.Equal(Path.Combine(_folder.Path, $"events.out.tfevents.1700000000.{Environment.MachineName}"), path);
        Assert.Equal([path], EventFileReader.FindFiles(_folder.Path));
    }

    [Fact]
    public void What_is_written_reads_back_exactly_with_the_file_version_first()
    {
        string path = WriteTwoSteps();

        IReadOnlyList<TensorBoardEvent> events = EventFileReader.ReadEvents(path);

        TensorBoardEvent[] expected =
        [
            new() { WallTime = 1_700_000_000.25, FileVersion = "brain.Event:2" },
            new() { WallTime = 1_700_000_001.75, Step = 1, Scalars = [new("loss/train", 0.6931472f), new("accuracy/val", 0.5f)] },
            new() { WallTime = 1_700_000_003.25, Step = 2, Scalars = [new("loss/train", 0.125f)] },
        ];
        Assert.Equal(expected, events);
        Assert.Equal(
            [
                new ScalarEvent("loss/train", 1, 0.6931472f, 1_700_000_001.75),
                new ScalarEvent("accuracy/val", 1, 0.5f, 1_700_000_001.75),
                new ScalarEvent("loss/train", 2, 0.125f, 1_700_000_003.25),
            ],
            EventFileReader.ReadScalars(path));
    }

    [Fact]
    public void Extreme_floats_and_a_negative_step_survive_the_round_trip_bit_for_bit()
    {
        float[] values = [0f, -0f, float.Epsilon, 1e-30f, float.MaxValue, float.PositiveInfinity, float.NaN, 0.1f];
        string path;
        using (var writer = new EventFileWriter(_folder.Path, new FixedClock(Start)))
        {
            writer.WriteScalars(-7, values.Select((v, i) => new ScalarValue($"v{i}", v)));
            path = writer.FilePath;
        }

        IReadOnlyList<ScalarEvent> scalars = EventFileReader.ReadScalars(path);

        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), scalars.Select(s => BitConverter.SingleToInt32Bits(s.Value)));
        Assert.All(scalars, s => Assert.Equal(-7, s.Step));
    }

    [Fact]
    public void Each_record_is_framed_by_its_length_and_the_masked_crcs_of_length_and_data()
    {
        string path = WriteTwoSteps();
        byte[] file = File.ReadAllBytes(path);
        byte[][] events =
        [
            EventCodec.Encode(new TensorBoardEvent { WallTime = 1_700_000_000.25, FileVersion = "brain.Event:2" }),
            EventCodec.Encode(new TensorBoardEvent { WallTime = 1_700_000_001.75, Step = 1, Scalars = [new("loss/train", 0.6931472f), new("accuracy/val", 0.5f)] }),
            EventCodec.Encode(new TensorBoardEvent { WallTime = 1_700_000_003.25, Step = 2, Scalars = [new("loss/train", 0.125f)] }),
        ];

        int at = 0;
        foreach (byte[] data in events)
        {
            Assert.Equal((ulong)data.Length, BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at)));
            Assert.Equal(Crc32C.Masked(file.AsSpan(at, 8)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8)));
            Assert.Equal(data, file.AsSpan(at + 12, data.Length).ToArray());
            Assert.Equal(Crc32C.Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 12 + data.Length)));
            at += data.Length + TfRecord.Overhead;
        }
        Assert.Equal(file.Length, at);
    }

    [Fact]
    public void A_flushed_file_reads_back_while_the_writer_still_has_it_open()
    {
        // What a killed run leaves: everything up to the last flush, with no close.
        var writer = new EventFileWriter(_folder.Path, new FixedClock(Start));
        try
        {
            writer.WriteScalar("loss/train", 1, 0.5f);
            writer.Flush();

            Assert.Equal([new ScalarEvent("loss/train", 1, 0.5f, 1_700_000_000.25)], EventFileReader.ReadScalars(writer.FilePath));
        }
        finally
        {
            writer.Dispose();
        }
    }

    [Fact]
    public void A_second_writer_started_in_the_same_second_gets_its_own_file()
    {
        using var first = new EventFileWriter(_folder.Path, new FixedClock(Start));
        using var second = new EventFileWriter(_folder.Path, new FixedClock(Start));

        Assert.Equal(first.FilePath + ".1", second.FilePath);
        Assert.Equal([first.FilePath, second.FilePath], EventFileReader.FindFiles(_folder.Path));
    }

    [Fact]
    public void A_flipped_byte_in_an_events_data_is_reported_with_the_record_and_its_offset()
    {
        string path = WriteTwoSteps();
        byte[] file = File.ReadAllBytes(path);
        int firstRecord = ReadLength(file, 0) + TfRecord.Overhead;
        file[firstRecord + 12 + 3] ^= 0x01;
        File.WriteAllBytes(path, file);

        var error = Assert.Throws<InvalidDataException>(() => EventFileReader.ReadEvents(path));

        Assert.StartsWith($"{path}: record 1 at byte {firstRecord} is corrupt: the stored checksum of its data is 0x", error.Message, StringComparison.Ordinal);
        Assert.Matches("but the data hashes to 0x[0-9a-f]{8}\\.$", error.Message);
    }

    [Fact]
    public void A_flipped_byte_in_a_length_is_caught_by_the_length_checksum_before_the_length_is_used()
    {
        string path = WriteTwoSteps();
        byte[] file = File.ReadAllBytes(path);
        // The length's high byte: unchecked, it would claim 2^56 more bytes than there are.
        file[7] ^= 0x01;
        File.WriteAllBytes(path, file);

        var error = Assert.Throws<InvalidDataException>(() => EventFileReader.ReadEvents(path));

        Assert.StartsWith($"{path}: record 0 at byte 0 is corrupt: the stored checksum of its length is 0x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_cut_inside_its_last_record_is_reported_as_truncated()
    {
        string path = WriteTwoSteps();
        byte[] file = File.ReadAllBytes(path);
        int first = ReadLength(file, 0) + TfRecord.Overhead;
        int second = ReadLength(file, first) + TfRecord.Overhead;
        int third = ReadLength(file, first + second) + TfRecord.Overhead;
        Assert.Equal(file.Length, first + second + third);
        File.WriteAllBytes(path, file[..^3]);

        var error = Assert.Throws<InvalidDataException>(() => EventFileReader.ReadEvents(path));

        Assert.Equal(
            $"{path}: record 2 at byte {first + second} is truncated: the file ends after {third - 3} bytes of its {third} bytes (was the writer stopped mid-record?).",
            error.Message);
    }

    [Fact]
    public void A_file_cut_inside_a_header_is_reported_as_truncated()
    {
        string path = WriteTwoSteps();
        byte[] file = File.ReadAllBytes(path);
        int first = ReadLength(file, 0) + TfRecord.Overhead;
        File.WriteAllBytes(path, file[..(first + 5)]);

        var error = Assert.Throws<InvalidDataException>(() => EventFileReader.ReadEvents(path));

        Assert.Equal(
            $"{path}: record 1 at byte {first} is truncated: the file ends after 5 bytes of its 12-byte header (was the writer stopped mid-record?).",
            error.Message);
    }

    [Fact]
    public void A_file_written_by_TorchSharps_SummaryWriter_reads_back()
    {
        // An independent writer of the same format: its framing, CRCs and Event encoding must agree with ours.
        var summary = TorchSharp.torch.utils.tensorboard.SummaryWriter(_folder.Path);
        summary.add_scalar("loss/train", 0.75f, 3);
        summary.add_scalar("loss/val", 1.5f, 4);

        string path = Assert.Single(EventFileReader.FindFiles(_folder.Path));
        IReadOnlyList<TensorBoardEvent> events = EventFileReader.ReadEvents(path);

        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal(
            [("loss/train", 3L, 0.75f), ("loss/val", 4L, 1.5f)],
            EventFileReader.ReadScalars(path).Select(s => (s.Tag, s.Step, s.Value)));
    }

    private static int ReadLength(byte[] file, int at) => checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at)));
}
