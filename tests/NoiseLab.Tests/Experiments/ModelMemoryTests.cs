using System.Runtime.InteropServices;
using NoiseLab.Cli;
using NoiseLab.Experiments;
using NoiseLab.Models;
using NoiseLab.Tests.Support;
using NoiseLab.Training;

namespace NoiseLab.Tests.Experiments;

/// <summary>
/// Issue #15, defect 3: every model's memory is estimated from its spec and its data's shape before it is built
/// (parameters exactly, activations per batch from the layer shapes); a model too big is refused with the size it
/// needs; an allocation that still fails is one sentence; and a run builds its model once.
/// </summary>
public sealed class ModelMemoryTests
{
    private static readonly ModelShape s_mnist = new([1, 28, 28], 10);
    private static readonly ModelShape s_cifar = new([3, 32, 32], 10);
    private static readonly ModelShape s_series = new([30, 1], 1);
    private static readonly ModelShape s_tags = new([64], 9, VocabularySize: 100);
    private static readonly ModelShape s_text = new([200], 2, VocabularySize: 100);

    public static TheoryData<string, string> Models => new()
    {
        { "mlp:64,32", "mnist" }, { "mnistnet1", "mnist" }, { "mnistnet3", "mnist" }, { "deepmlp:layers=3,width=7,dropout=0.1", "mnist" },
        { "babycnn", "cifar" }, { "tinycnn", "cifar" }, { "tinycnn", "mnist" }, { "simplecnn", "cifar" }, { "resnet18", "cifar" }, { "resnet18", "mnist" },
        { "lstm", "series" }, { "lstm:hidden=16,layers=3", "series" }, { "bilstm", "tags" }, { "bilstm:width=12,hidden=10,layers=2", "tags" },
        { "transformer", "text" }, { "transformer:width=16,heads=4,hidden=32,layers=2", "text" },
    };

    private static ModelShape Shape(string name) => name switch
    {
        "mnist" => s_mnist, "cifar" => s_cifar, "series" => s_series, "tags" => s_tags, _ => s_text,
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void The_estimate_counts_the_parameters_of_the_built_model_exactly(string model, string data)
    {
        ModelSpec spec = ModelSpec.Parse(model);
        ModelFootprint footprint = ModelMemory.Estimate(spec, Shape(data))!;

        using var built = ModelRegistry.Create(spec, Shape(data), seed: 0);

        Assert.Equal(built.parameters().Sum(p => p.numel()), (long)footprint.Parameters);
        Assert.True(footprint.ActivationsPerSample >= Shape(data).FlatInputs, "a sample's activations include at least its input");
    }

    // The activation estimate by hand for two models: mlp:8 keeps 784 inputs, 8 before and 8 after the ReLU, 10 outputs;
    // babycnn on CIFAR keeps 3,072 inputs, conv and ReLU outputs (2 × 8 × 32 × 32), the pooled 8 × 16 × 16 and 10 outputs.
    [Theory]
    [InlineData("mlp:8", "mnist", 784 + 16 + 10)]
    [InlineData("babycnn", "cifar", 3072 + 2 * 8 * 32 * 32 + 8 * 16 * 16 + 10)]
    public void The_activations_of_a_sample_are_counted_from_the_layer_shapes(string model, string data, double expected)
    {
        Assert.Equal(expected, ModelMemory.Estimate(ModelSpec.Parse(model), Shape(data))!.ActivationsPerSample);
    }

    [Theory]
    [InlineData("mlp:100000,100000", "mnist", 128, "The model mlp:100000,100000 has 10,079,600,010 parameters and needs about 188.1 GB to train at a batch of 128 (187.7 GB for its parameters, 0.4 GB for a batch's activations), more than the 8.0 GB of memory here; use smaller widths or fewer layers.")]
    [InlineData("lstm:hidden=100000", "series", 128, "The model lstm:hidden=100000 has 50,001,400,001 parameters and needs about 951.6 GB to train at a batch of 128 (931.3 GB for its parameters, 20.2 GB for a batch's activations), more than the 8.0 GB of memory here; use a smaller width, hidden size or fewer layers.")]
    [InlineData("resnet18", "cifar", 100000, "The model resnet18 has 11,173,962 parameters and needs about 1,516.6 GB to train at a batch of 100,000 (0.2 GB for its parameters, 1,516.3 GB for a batch's activations), more than the 8.0 GB of memory here; use a smaller batch size (now 100,000).")]
    [InlineData("transformer:width=512,heads=8,hidden=2048,layers=6", "text", 4096, "The model transformer:width=512,heads=8,hidden=2048,layers=6 has 18,966,530 parameters and needs about 591.8 GB to train at a batch of 4,096 (0.4 GB for its parameters, 591.4 GB for a batch's activations), more than the 8.0 GB of memory here; use a smaller batch size (now 4,096) or shorter sequences.")]
    [InlineData("bilstm:hidden=50000", "tags", 128, "The model bilstm:hidden=50000 has 20,021,705,009 parameters and needs about 415.7 GB to train at a batch of 128 (372.9 GB for its parameters, 42.7 GB for a batch's activations), more than the 8.0 GB of memory here; use a smaller width, hidden size or fewer layers.")]
    public void A_model_too_big_for_memory_is_refused_with_the_size_it_needs(string model, string data, int batch, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ModelMemory.Check(ModelSpec.Parse(model), Shape(data), batch, available: 8L << 30));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void A_model_that_fits_passes_and_arguments_the_model_refuses_are_left_to_its_own_message()
    {
        ModelMemory.Check(ModelSpec.Parse("resnet18"), s_cifar, 128, available: 8L << 30);
        Assert.Null(ModelMemory.Estimate(ModelSpec.Parse("lstm:hidden=abc"), s_series));
        Assert.Null(ModelMemory.Estimate(ModelSpec.Parse("tinycnn"), new ModelShape([1, 2, 2], 10)));
        Assert.Null(ModelMemory.Estimate(ModelSpec.Parse("somebody-elses-model"), s_mnist));
    }

    [Theory]
    [InlineData("train --model lstm:hidden=100000 --data synthetic:adding:length=10,train=100", "noiselab: The model lstm:hidden=100000 has 50,001,800,001 parameters and needs about")]
    [InlineData("train --model resnet18 --data cifar10 --batch-size 1000000", "noiselab: The model resnet18 has 11,173,962 parameters and needs about")]
    public void Train_refuses_a_model_too_big_before_building_it_or_reading_data(string command, string expected)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = CliProcess.Run([.. command.Split(' '), "--threads", "1"]);

        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith(expected, outcome.StandardError.Trim(), StringComparison.Ordinal);
        Assert.Single(outcome.StandardError.Trim().Split('\n'));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the refusal took {clock.Elapsed}");
    }

    [Fact]
    public void An_allocation_that_fails_although_the_estimate_fitted_is_one_sentence()
    {
        const string allocator = "[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator: not enough memory: you tried to allocate 80000000000 bytes.\nException raised from alloc_cpu at ../c10/core/impl/alloc_cpu.cpp:117 (most recent call first):\nframe #0: c10::ThrowEnforceNotMet";
        ModelRegistry.Register("allocation-fails", "allocation-fails", "a model whose weights libtorch cannot allocate", (_, _) => throw new ExternalException(allocator));

        var error = Assert.Throws<ArgumentException>(() => RunRequirements.Build(ModelSpec.Parse("allocation-fails"), s_mnist, seed: 0));
        var output = new StringWriter();
        int exit = CommandRunner.Run(output, () => throw new ExternalException(allocator));

        Assert.Equal("The model allocation-fails does not fit in memory: The run ran out of memory (libtorch could not allocate a tensor); use a smaller model, --batch-size or --limit-train, or fewer --jobs.", error.Message);
        Assert.Equal(1, exit);
        Assert.Equal("noiselab: The run ran out of memory (libtorch could not allocate a tensor); use a smaller model, --batch-size or --limit-train, or fewer --jobs.", output.ToString().Trim());
    }

    // The model is built before the data is read (so its typos cost nothing) and, where the data has the shape
    // its name promises, that one build is the one that trains.
    [Theory]
    [InlineData("fashion-mnist")]
    [InlineData("synthetic:adding:length=10,train=100")]
    public void A_run_builds_its_model_once(string data)
    {
        int builds = 0;
        ModelRegistry.Register("counted", "counted", "an mlp:8 that counts its builds", (arguments, shape) =>
        {
            Interlocked.Increment(ref builds);
            return new Mlp(shape.FlatInputs, [8], shape.Outputs);
        });

        RunExecutor.Execute(new RunSpec
        {
            DataSet = data,
            Data = new NoiseLab.Data.DataOptions { LimitTrain = 100 },
            Model = ModelSpec.Parse("counted"),
            Optimizer = new NoiseLab.Optimization.OptimizerSpec(NoiseLab.Optimization.OptimizerKind.Sgd, 0.1),
            Noise = ["activation:gaussian:sigma=0.1,after=fc1"],
            Trainer = new TrainerOptions { Epochs = 1 },
        });

        Assert.Equal(1, builds);
    }
}
