using NoiseLab.Data;
using NoiseLab.Experiments;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.Tests.Support;
using NoiseLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Tests.Training;

public sealed class TaggingTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Token_accuracy_ignores_padding_and_F1_counts_whole_entities()
    {
        string[] tags = ["B-PER", "I-PER", "O"];
        var objective = new TaggingObjective(tags);
        // One sentence of 4 real tokens and 1 padding: gold B-PER I-PER O B-PER, predicted B-PER O O B-PER.
        long[] gold = [0, 1, 2, 0, TaggingObjective.Ignore];
        int[] guess = [0, 2, 2, 0, 1];
        using Tensor logits = zeros(1, 5, 3);
        for (int i = 0; i < 5; i++)
            logits[0, i, guess[i]] = tensor(5f);
        using Tensor target = tensor(gold, [1, 5]);
        var sums = new double[objective.SumCount];

        objective.AddMetricSums(logits, target, sums);
        var figures = objective.Finish(sums, 1);

        // Tokens: 3 of 4 right. Entities: gold PER[0,2), PER[3,4); predicted PER[0,1), PER[3,4) → 1 of 2 each way.
        Assert.Equal(0.75, figures["token_accuracy"], 12);
        Assert.Equal(0.5, figures["entity_precision"], 12);
        Assert.Equal(0.5, figures["entity_recall"], 12);
        Assert.Equal(0.5, figures["entity_f1"], 12);
    }

    private static readonly string[] s_first = ["John", "Maria", "Ahmed", "Li", "Olga", "Pierre"];
    private static readonly string[] s_last = ["Smith", "Garcia", "Khan", "Wei", "Petrova", "Dubois"];
    private static readonly string[] s_cities = ["Paris", "Lagos", "Lima", "Oslo", "Hanoi", "Quito"];

    /// <summary>Writes a CoNLL folder of template sentences: "FIRST LAST visited CITY ." and "CITY welcomed FIRST ."</summary>
    private string WriteConll()
    {
        var random = new Random(2);
        string Sentences(int count) => string.Join("\n\n", Enumerable.Range(0, count).Select(_ => random.Next(2) == 0
            ? $"{s_first[random.Next(6)]} NNP B-NP B-PER\n{s_last[random.Next(6)]} NNP I-NP I-PER\nvisited VBD B-VP O\n{s_cities[random.Next(6)]} NNP B-NP B-LOC\n. . O O"
            : $"{s_cities[random.Next(6)]} NNP B-NP B-LOC\nwelcomed VBD B-VP O\n{s_first[random.Next(6)]} NNP B-NP B-PER\n. . O O"));
        File.WriteAllText(_folder.File("train.txt"), "-DOCSTART- -X- -X- O\n\n" + Sentences(200) + "\n");
        File.WriteAllText(_folder.File("valid.txt"), Sentences(40) + "\n");
        File.WriteAllText(_folder.File("test.txt"), Sentences(40) + "\n");
        return _folder.Path;
    }

    [Fact]
    public void A_conll_folder_becomes_padded_ids_and_tags()
    {
        using DataSplits data = ConllData.Load(WriteConll(), new DataOptions());

        Assert.Equal((200, 40, 40), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal(["B-LOC", "B-PER", "I-PER", "O"], data.TagNames);
        Assert.Equal([200L, 5], data.Train.Features.shape);
        // Padding is id 0 exactly where the target is the ignore mark; 4-token sentences have one of each.
        long[] ids = data.Train.Features.data<long>().ToArray(), targets = data.Train.Targets.data<long>().ToArray();
        Assert.All(Enumerable.Range(0, ids.Length), i => Assert.Equal(ids[i] == 0, targets[i] == TaggingObjective.Ignore));
        Assert.Contains(targets, t => t == TaggingObjective.Ignore);
        Assert.Equal(2 + 6 + 6 + 6 + 3, data.VocabularySize);   // pad, unknown, names, surnames, cities, "visited", "welcomed", "."
    }

    [Fact]
    public void A_bilstm_tagger_finds_the_entities_with_embedding_noise()
    {
        string folder = WriteConll();

        TrainingResult result = RunExecutor.Execute(new RunSpec
        {
            DataSet = $"conll:{folder}",
            Model = ModelSpec.Parse("bilstm:hidden=32"),
            Optimizer = new OptimizerSpec(OptimizerKind.Adam, 0.01),
            Trainer = new TrainerOptions { Epochs = 8, BatchSize = 16, Seed = 0 },
            Noise = ["embedding:gaussian:sigma=0.05"],
            Threads = 2,
        });

        Assert.Null(result.TestAccuracy);
        Assert.True(result.TestMetrics["entity_f1"] > 0.9, $"entity F1 {result.TestMetrics["entity_f1"]:F3}");
        Assert.True(result.TestMetrics["token_accuracy"] > 0.95, $"token accuracy {result.TestMetrics["token_accuracy"]:F3}");
        Assert.Equal(0.05, result.History[0].Sigmas["embedding"], 12);
    }
}
