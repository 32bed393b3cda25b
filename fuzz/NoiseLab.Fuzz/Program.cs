using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NoiseLab.Checkpoints;
using NoiseLab.Data;
using NoiseLab.Experiments;
using NoiseLab.Training;
using SharpFuzz;

namespace NoiseLab.Fuzz;

/// <summary>
/// The long-run fuzzing harness: <c>NoiseLab.Fuzz TARGET</c> under afl-fuzz (SharpFuzz's fork server),
/// <c>NoiseLab.Fuzz TARGET --libfuzzer</c> under libfuzzer-dotnet, <c>NoiseLab.Fuzz TARGET FILE...</c> to
/// replay inputs, <c>NoiseLab.Fuzz --write-corpus DIR</c> for seed inputs. A target returns on input it
/// reads or rejects with NoiseLab's own error; any other exception is a crash for the fuzzer to keep.
/// See docs/fuzzing.md.
/// </summary>
internal static class Program
{
    private static readonly string s_scratch = Path.Combine(Path.GetTempPath(), $"noiselab-fuzz-{Environment.ProcessId}");

    private static readonly Dictionary<string, Action<byte[]>> s_targets = new(StringComparer.Ordinal)
    {
        ["idx"] = bytes => Expect<DataSetException>(() => IdxFile.Read(Scratch("input.idx", bytes))),
        ["idx-gz"] = bytes => Expect<DataSetException>(() => IdxFile.Read(Scratch("input.idx.gz", bytes))),
        ["cifar10"] = bytes => Expect<DataSetException>(() =>
        {
            var (images, labels) = Cifar10.ReadFiles([Scratch("data_batch_1.bin", bytes)]);
            images.Dispose();
            labels.Dispose();
        }),
        ["csv"] = bytes => Expect<DataSetException>(() =>
        {
            double[] series = TimeSeriesCsv.ReadColumn(Scratch("series.csv", bytes), "value");
            TimeSeriesCsv.Window(series, "series.csv:value", window: 3).Dispose();
        }),
        ["imdb"] = bytes => Expect<DataSetException>(() =>
        {
            var (train, test) = TextClassification.ReadImdbFolder(ImdbTree(bytes));
            TextClassification.Load("imdb", train, test, classes: 2, new DataOptions { Validation = new ValidationSplit(1) }, maxLength: 8, vocabularySize: 50).Dispose();
        }),
        ["tsv"] = bytes => Expect<DataSetException>(() =>
        {
            var items = TextClassification.ReadTsv(Scratch("train.tsv", bytes), ["neg", "pos"]);
            TextClassification.Load("tsv", items, items, classes: 2, new DataOptions { Validation = new ValidationSplit(1) }, maxLength: 8, vocabularySize: 50).Dispose();
        }),
        ["conll"] = bytes => Expect<DataSetException>(() =>
        {
            Scratch("valid.txt", "EU B-ORG\n"u8.ToArray());
            Scratch("test.txt", "EU B-ORG\n"u8.ToArray());
            Scratch("train.txt", bytes);
            ConllData.Load(s_scratch, new DataOptions(), maxLength: 16).Dispose();
        }),
        ["spec"] = bytes => Expect<SweepSpecException>(() => SweepSpec.Parse(Encoding.UTF8.GetString(bytes), "fuzz.yaml")),
        ["checkpoint"] = bytes => Expect<CheckpointCorruptException>(() => TrainingCheckpoint.ReadFrom(new MemoryStream(bytes), "fuzz.ckpt")),
        // The payload alone, wrapped in a correct header and checksum so that the fuzzer reaches the parser.
        ["checkpoint-payload"] = bytes => Expect<CheckpointCorruptException>(() => TrainingCheckpoint.ReadFrom(new MemoryStream(Sign(bytes)), "fuzz.ckpt")),
    };

    private static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "--write-corpus")
        {
            TraceIntoPrivateBuffer();
            WriteCorpus(args[1]);
            return 0;
        }
        if (args.Length == 0 || !s_targets.TryGetValue(args[0], out Action<byte[]>? target))
        {
            Console.Error.WriteLine($"usage: NoiseLab.Fuzz TARGET [--libfuzzer | FILE...] | --write-corpus DIR; targets: {string.Join(", ", s_targets.Keys)}");
            return 2;
        }
        Directory.CreateDirectory(s_scratch);
        try
        {
            if (args.Length == 2 && args[1] == "--libfuzzer")
            {
                Fuzzer.LibFuzzer.Run(span => target(span.ToArray()));
            }
            else if (args.Length > 1)
            {
                // Replay: each file once, saying what became of it.
                TraceIntoPrivateBuffer();
                foreach (string file in args.Skip(1))
                {
                    target(File.ReadAllBytes(file));
                    Console.WriteLine($"{file}: ok");
                }
            }
            else
            {
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var memory = new MemoryStream();
                    stream.CopyTo(memory);
                    target(memory.ToArray());
                });
            }
            return 0;
        }
        finally
        {
            Directory.Delete(s_scratch, recursive: true);
        }
    }

    // Code instrumented by `sharpfuzz` writes coverage to AFL's shared memory, which exists only under
    // afl-fuzz; outside it (replay, corpus) the coverage goes to a private buffer instead.
    private static unsafe void TraceIntoPrivateBuffer()
    {
        if (SharpFuzz.Common.Trace.SharedMem == null)
            SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
    }

    // Runs a reader; its own error type (with a message) is a clean rejection, anything else escapes as a crash.
    private static void Expect<TError>(Action read)
        where TError : Exception
    {
        try
        {
            read();
        }
        catch (TError e) when (e.GetType() == typeof(TError) && !string.IsNullOrWhiteSpace(e.Message))
        {
        }
    }

    private static string Scratch(string name, byte[] bytes)
    {
        string path = Path.Combine(s_scratch, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // The input split at 0x00 bytes into reviews, dealt round-robin into train/neg, train/pos, test/neg, test/pos.
    private static string ImdbTree(byte[] bytes)
    {
        string root = Path.Combine(s_scratch, "aclImdb");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        string[] folders = ["train/neg", "train/pos", "test/neg", "test/pos"];
        foreach (string folder in folders)
            Directory.CreateDirectory(Path.Combine(root, folder));
        int start = 0, index = 0;
        for (int i = 0; i <= bytes.Length; i++)
        {
            if (i < bytes.Length && bytes[i] != 0)
                continue;
            File.WriteAllBytes(Path.Combine(root, folders[index % 4], $"{index}_7.txt"), bytes[start..i]);
            index++;
            start = i + 1;
        }
        return root;
    }

    private static byte[] Sign(byte[] payload)
    {
        const int HeaderLength = 8 + 4 + 8;
        var bytes = new byte[HeaderLength + payload.Length + SHA256.HashSizeInBytes];
        "NLCKPT\0\0"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), TrainingCheckpoint.FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(12), payload.Length);
        payload.CopyTo(bytes.AsSpan(HeaderLength));
        SHA256.HashData(bytes.AsSpan(0, HeaderLength + payload.Length), bytes.AsSpan(HeaderLength + payload.Length));
        return bytes;
    }

    // Small valid inputs, one folder per target.
    private static void WriteCorpus(string root)
    {
        byte[] Idx(int[] shape, int seed)
        {
            int count = shape.Aggregate(1, (a, b) => a * b);
            var bytes = new byte[4 + 4 * shape.Length + count];
            bytes[2] = 0x08;
            bytes[3] = (byte)shape.Length;
            for (int i = 0; i < shape.Length; i++)
                BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), shape[i]);
            new Random(seed).NextBytes(bytes.AsSpan(4 + 4 * shape.Length));
            return bytes;
        }
        byte[] Gzip(byte[] bytes)
        {
            using var memory = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(memory, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
                gzip.Write(bytes);
            return memory.ToArray();
        }
        byte[] Checkpoint(int epochs)
        {
            using var stream = new MemoryStream();
            new TrainingCheckpoint
            {
                RunKey = "fashion-mnist|mlp:16|seed=1", Epoch = epochs, Step = 10L * epochs,
                History = [.. Enumerable.Range(1, epochs).Select(e => new EpochRecord { Epoch = e, TrainLoss = 1.0 / e, ValLoss = 2.0 / e, GradNorm = e, WeightUpdateNorm = 0.5, LearningRate = 0.1 })],
                Model = [1, 2, 3], Optimizer = [4], GlobalGenerator = [5], ShuffleGenerator = [6],
                Callbacks = new Dictionary<string, byte[]> { ["adaptive"] = [7] },
            }.WriteTo(stream);
            return stream.ToArray();
        }
        var cifar = new byte[2 * Cifar10.RecordSize];
        new Random(3).NextBytes(cifar);
        cifar[0] = 3;
        cifar[Cifar10.RecordSize] = 9;
        var csv = new StringBuilder("date,value,other\n");
        for (int i = 0; i < 40; i++)
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"2020-01-{i + 1:D2},{Math.Sin(i) * 10:F2},{i}\n");
        byte[] checkpoint = Checkpoint(2);

        var seeds = new Dictionary<string, byte[][]>
        {
            ["idx"] = [Idx([3, 2, 2], 1), Idx([4], 2)],
            ["idx-gz"] = [Gzip(Idx([3, 2, 2], 1)), Gzip(Idx([4], 2))],
            ["cifar10"] = [cifar],
            ["csv"] = [Encoding.UTF8.GetBytes(csv.ToString())],
            ["imdb"] = ["a bad film\0a good plot<br />it's fine\0bad acting\0great 10/10\0dull\0fun\0"u8.ToArray()],
            ["tsv"] = ["neg\ta bad film\npos\ta good plot\nneg\tdull\n"u8.ToArray()],
            ["conll"] = ["-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\n\nPeter NNP B-NP B-PER\n"u8.ToArray()],
            ["spec"] = ["name: tiny\ndata: fashion-mnist\nlimit_train: 500\nepochs: 2\nclip: [1, 10]\nseeds: [0, 1]\nmodels: [\"mlp:16\"]\noptimizers:\n  - {optimizer: momentum, lr: 0.05}\nnoise:\n  none: []\n  input: [\"input:gaussian:sigma=0.1\"]\n"u8.ToArray(),
                "name: groups\nseeds: [0]\ngroups:\n  - data: fashion-mnist\n    epochs: 5\n    models: [mnistnet1]\n    optimizers: [{optimizer: sgd, lr: 0.1}]\n  - data: seattle-temp\n    epochs: 20\n    models: [lstm]\n    optimizers: [{optimizer: adam, lr: 0.01}]\nnoise:\n  none: []\n  gradient: [\"gradient:annealed:eta=0.01\"]\n"u8.ToArray()],
            ["checkpoint"] = [checkpoint, Checkpoint(0)],
            ["checkpoint-payload"] = [checkpoint[20..^32]],
        };
        foreach (var (target, inputs) in seeds)
        {
            string folder = Path.Combine(root, target);
            Directory.CreateDirectory(folder);
            for (int i = 0; i < inputs.Length; i++)
                File.WriteAllBytes(Path.Combine(folder, $"seed{i}"), inputs[i]);
        }
    }
}
