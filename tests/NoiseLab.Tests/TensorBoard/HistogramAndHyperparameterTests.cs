using Google.Protobuf.WellKnownTypes;
using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.TensorBoard;
using NoiseLab.Tests.Support;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.TensorBoard;

public sealed class HistogramAndHyperparameterTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_histogram_counts_each_value_in_the_bucket_whose_right_edge_it_does_not_pass()
    {
        using Tensor values = tensor(new[] { 4.0, 1.0, 2.0, 3.0, 2.5 });

        HistogramValue histogram = HistogramValue.Of("h", values, buckets: 3);

        // Width 1 from 1 to 4: (1, 2] holds 1 (the minimum starts the first bucket) and 2; (2, 3] holds 2.5 and 3; (3, 4] holds 4.
        Assert.Equal(new HistogramValue("h", 1, 4, 5, 12.5, 36.25, [2, 3, 4], [2, 2, 1]), histogram);
    }

    [Fact]
    public void Values_that_are_not_finite_are_left_out_and_one_repeated_value_is_one_bucket()
    {
        using Tensor values = tensor(new[] { 0.5f, float.NaN, 0.5f, float.PositiveInfinity }).reshape(2, 2);

        Assert.Equal(new HistogramValue("w", 0.5, 0.5, 2, 1, 0.5, [0.5], [2]), HistogramValue.Of("w", values));
        using Tensor empty = zeros(0);
        Assert.Equal(new HistogramValue("e", 0, 0, 0, 0, 0, [], []), HistogramValue.Of("e", empty));
    }

    [Fact]
    public void A_histogram_survives_the_event_file_and_TensorBoards_parser_reads_its_fields()
    {
        using Tensor values = randn(1000, generator: new TorchSharp.torch.Generator(7));
        HistogramValue histogram = HistogramValue.Of("weights/fc.weight", values);
        string path;
        using (var writer = new EventFileWriter(_folder.Path))
        {
            writer.WriteHistograms(3, [histogram]);
            path = writer.FilePath;
        }

        Assert.Equal(histogram, EventFileReader.ReadEvents(path)[1].Histograms.Single());
        Tensorboard.HistogramProto proto = EventFileReader.ReadMessages(path)[1].Summary.Value.Single().Histo;
        Assert.Equal(1000, proto.Num);
        Assert.Equal(1000, proto.Bucket.Sum());
        Assert.Equal(HistogramValue.DefaultBuckets, proto.BucketLimit.Count);
        Assert.Equal(values.max().ToDouble(), proto.BucketLimit[^1]);
    }

    [Fact]
    public void A_logged_run_starts_an_hparams_session_with_its_settings_and_ends_it_as_a_success()
    {
        using DataSplits data = Blobs.Create(train: 64);
        var options = new TrainerOptions { Epochs = 2, BatchSize = 32, Seed = 1 };
        using var model = ModelRegistry.Create(ModelSpec.Parse("mlp:4"), new ModelShape(data.SampleShape, data.ClassCount), options.Seed);
        using var optimizer = new OptimizerSpec(OptimizerKind.Sgd, 0.1).Create(model.parameters());
        using var logger = new TensorBoardLogger(_folder.Path)
        {
            Hyperparameters = new Dictionary<string, object> { ["model"] = "mlp:4", ["lr"] = 0.1, ["augment"] = false, ["epochs"] = 2 },
            HyperparameterGroup = "mlp:4|sgd",
            Histograms = true,
        };

        new Trainer(model, optimizer, options).Add(logger).Fit(data);

        IReadOnlyList<Tensorboard.Event> events = EventFileReader.ReadMessages(logger.FilePath);
        IReadOnlyList<HParamsRecord> hparams = HParamsRecord.In(events);
        Assert.Equal(["_hparams_/session_start_info", "_hparams_/session_end_info"], hparams.Select(h => h.Tag));
        Assert.Equal("mlp:4|sgd", hparams[0].Group);
        Assert.Equal(Value.ForString("mlp:4"), hparams[0].Hyperparameters!["model"]);
        Assert.Equal(Value.ForNumber(0.1), hparams[0].Hyperparameters!["lr"]);
        Assert.Equal(Value.ForBool(false), hparams[0].Hyperparameters!["augment"]);
        Assert.Equal(Value.ForNumber(2), hparams[0].Hyperparameters!["epochs"]);
        Assert.Equal(1, hparams[1].Status);
        // Every parameter and its gradient, at each epoch; the last epoch's weights are the trained ones.
        string[] names = [.. model.named_parameters().Select(p => p.name)];
        IReadOnlyList<TensorBoardEvent> read = EventFileReader.ReadEvents(logger.FilePath);
        Assert.Equal([1L, 2L], read.Where(e => e.Histograms.Count > 0).Select(e => e.Step));
        HistogramValue[] last = [.. read.Last(e => e.Histograms.Count > 0).Histograms];
        string[] expectedTags = [.. names.Select(n => "weights/" + n), .. names.Select(n => "gradients/" + n)];
        Assert.Equal(expectedTags.Order(StringComparer.Ordinal), last.Select(h => h.Tag).Order(StringComparer.Ordinal));
        foreach (var (name, parameter) in model.named_parameters())
            Assert.Equal(HistogramValue.Of("weights/" + name, parameter), last.Single(h => h.Tag == "weights/" + name));
    }

    [Fact]
    public void A_logger_disposed_before_the_run_ends_marks_the_session_failed()
    {
        string path;
        using (var logger = new TensorBoardLogger(_folder.Path) { Hyperparameters = new Dictionary<string, object> { ["seed"] = 3L } })
        {
            logger.OnTrainStart(null!);
            path = logger.FilePath;
        }

        IReadOnlyList<HParamsRecord> hparams = HParamsRecord.In(EventFileReader.ReadMessages(path));
        Assert.Equal([null, 2], hparams.Select(h => h.Status));
        Assert.Equal(Value.ForNumber(3), hparams[0].Hyperparameters!["seed"]);
    }

    [Fact]
    public void A_hyperparameter_of_another_type_is_refused_naming_it()
    {
        using var writer = new EventFileWriter(_folder.Path);

        var error = Assert.Throws<ArgumentException>(() => writer.WriteHyperparameters(new Dictionary<string, object> { ["shape"] = new[] { 1, 2 } }));

        Assert.StartsWith("The hyperparameter 'shape' is a Int32[]; TensorBoard takes strings, booleans and numbers.", error.Message, StringComparison.Ordinal);
    }
}
