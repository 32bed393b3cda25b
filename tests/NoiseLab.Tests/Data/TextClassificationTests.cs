using NoiseLab.Data;
using NoiseLab.Experiments;
using NoiseLab.Models;
using NoiseLab.Optimization;
using NoiseLab.Tests.Support;
using NoiseLab.Training;

namespace NoiseLab.Tests.Data;

public sealed class TextClassificationTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly string[] s_good = ["great", "wonderful", "excellent", "moving", "brilliant"];
    private static readonly string[] s_bad = ["awful", "boring", "terrible", "dull", "weak"];
    private static readonly string[] s_filler = ["the", "film", "plot", "actors", "was", "and", "a", "story"];

    /// <summary>Writes an IMDB-layout folder whose reviews are told apart by their sentiment words.</summary>
    private string WriteImdb(int perClass)
    {
        var random = new Random(4);
        string Review(string[] sentiment) => string.Join(' ', Enumerable.Range(0, random.Next(6, 14))
            .Select(i => i % 3 == 0 ? sentiment[random.Next(sentiment.Length)] : s_filler[random.Next(s_filler.Length)])) + "<br />The end.";
        foreach (string split in new[] { "train", "test" })
        {
            foreach (var (name, words) in new[] { ("pos", s_good), ("neg", s_bad) })
            {
                string folder = Path.Combine(_folder.Path, split, name);
                Directory.CreateDirectory(folder);
                for (int i = 0; i < perClass; i++)
                    File.WriteAllText(Path.Combine(folder, $"{i}_7.txt"), Review(words));
            }
        }
        return _folder.Path;
    }

    [Fact]
    public void Tokens_are_lower_case_words_without_html_breaks()
    {
        Assert.Equal(["it's", "a", "great", "film", "really"], TextClassification.Tokenize("It's a GREAT film!<br />Really."));
    }

    [Fact]
    public void The_vocabulary_comes_from_training_text_only_and_unknown_words_map_to_one()
    {
        var vocabulary = TextClassification.BuildVocabulary(["good good film", "good plot"]);

        using InMemoryDataset encoded = TextClassification.Encode([("good unseen film", 1)], vocabulary, maxLength: 5);

        Assert.Equal(2L, vocabulary["good"]);
        Assert.Equal([2L, TextClassification.Unknown, vocabulary["film"], 0, 0], encoded.Features[0].data<long>().ToArray());
        Assert.Equal([1L], encoded.Targets.data<long>().ToArray());
    }

    [Fact]
    public void A_missing_imdb_subfolder_is_named()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "train", "pos"));

        var error = Assert.Throws<DataSetException>(() => TextClassification.ReadImdbFolder(_folder.Path));

        Assert.Equal($"The IMDB folder '{_folder.Path}' has no train/neg/; it needs train/pos, train/neg, test/pos and test/neg folders of .txt files.", error.Message);
    }

    [Fact]
    public void A_tsv_line_without_a_known_label_is_named()
    {
        string path = _folder.File("reviews.tsv");
        File.WriteAllText(path, "pos\tgreat film\nmaybe\tno idea\n");

        var error = Assert.Throws<DataSetException>(() => TextClassification.ReadTsv(path, ["neg", "pos"]));

        Assert.Equal($"Text file '{path}' line 2: label 'maybe' is not one of neg, pos.", error.Message);
    }

    [Fact]
    public void A_transformer_learns_the_written_reviews_with_neftune_embedding_noise()
    {
        string root = WriteImdb(perClass: 60);

        TrainingResult result = RunExecutor.Execute(new RunSpec
        {
            DataSet = $"imdb:{root}:max_len=16",
            Data = new DataOptions { Validation = new ValidationSplit(20) },
            Model = ModelSpec.Parse("transformer:layers=1,hidden=64"),
            Optimizer = new OptimizerSpec(OptimizerKind.Adam, 0.01),
            Trainer = new TrainerOptions { Epochs = 8, BatchSize = 16, Seed = 0 },
            Noise = ["embedding:neftune:alpha=5"],
            Threads = 2,
        });

        Assert.True(result.TestAccuracy >= 0.9, $"test accuracy {result.TestAccuracy}");
        Assert.All(result.History, r => Assert.Equal(5.0, r.Sigmas["embedding"], 12));
    }
}

public sealed class TsvDataTests : IDisposable
{
    private readonly NoiseLab.Tests.Support.TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_tsv_pair_loads_with_labels_in_the_given_order()
    {
        File.WriteAllText(_folder.File("train.tsv"), string.Join('\n', Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? "pos\tgreat film" : "neg\tawful film")));
        File.WriteAllText(_folder.File("test.tsv"), "neg\tawful plot\npos\tgreat plot\n");

        using DataSplits data = DataSetCatalog.Load($"tsv:{_folder.File("train.tsv")}:test={_folder.File("test.tsv")},labels=neg+pos,max_len=4",
            new DataOptions { Validation = new ValidationSplit(6) });

        Assert.Equal((24, 6, 2), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal([0L, 1], data.Test.Targets.data<long>().ToArray());
        Assert.Equal(5, data.VocabularySize);   // pad, unknown, great, awful, film
        Assert.Equal(TextClassification.Unknown, data.Test.Features[0, 1].item<long>());   // "plot" never appears in training
    }
}
