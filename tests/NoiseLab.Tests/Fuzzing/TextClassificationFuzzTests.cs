using System.Text;
using CsCheck;
using NoiseLab.Data;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Fuzzing;

/// <summary>IMDB-style folders and label-tab-text files damaged every way: they load or fail with a <see cref="DataSetException"/>.</summary>
public sealed class TextClassificationFuzzTests : IDisposable
{
    private static readonly string[] s_words = ["good", "bad", "film", "plot", "<br />", "it's", "10/10", "ACTING", "\u00e9t\u00e9", "''", "..."];
    private static readonly byte[][] s_tokens = Mutation.Text("\t", "\n", "\r\n", "neg", "pos", "<br />", "\0", "\uFEFF", "'", "\ud83d\ude00");
    private static readonly string[] s_folders = ["train/neg", "train/pos", "test/neg", "test/pos"];
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Damage to the folder tree rather than to a file's bytes.</summary>
    public enum TreeDamage { None, DeleteFolder, FolderIsAFile, NoTextFiles, FolderNamedTxt, RenameToMd, EmptyFile }

    // Two reviews per folder, one of them damaged, and possibly one folder damaged.
    private static readonly Gen<(string[] Reviews, int Damaged, Mutation[] Mutations, TreeDamage Tree, int Folder)> s_imdb =
        Gen.Select(FuzzInputs.Words(s_words, 1, 12).Array[8], Gen.Int[0, 7], Mutation.Several(s_tokens), Gen.Enum<TreeDamage>(), Gen.Int[0, 3]);

    private string WriteTree((string[] Reviews, int Damaged, Mutation[] Mutations, TreeDamage Tree, int Folder) input)
    {
        string root = Path.Combine(_folder.Path, "aclImdb");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        for (int i = 0; i < input.Reviews.Length; i++)
        {
            string folder = Path.Combine(root, s_folders[i / 2]);
            Directory.CreateDirectory(folder);
            byte[] bytes = Encoding.UTF8.GetBytes(input.Reviews[i]);
            File.WriteAllBytes(Path.Combine(folder, $"{i}_7.txt"), i == input.Damaged ? Mutation.ApplyAll(bytes, input.Mutations) : bytes);
        }
        string target = Path.Combine(root, s_folders[input.Folder]);
        switch (input.Tree)
        {
            case TreeDamage.DeleteFolder:
                Directory.Delete(target, recursive: true);
                break;
            case TreeDamage.FolderIsAFile:
                Directory.Delete(target, recursive: true);
                File.WriteAllText(target, "not a folder");
                break;
            case TreeDamage.NoTextFiles:
                foreach (string file in Directory.GetFiles(target))
                    File.Delete(file);
                break;
            case TreeDamage.FolderNamedTxt:
                Directory.CreateDirectory(Path.Combine(target, "folder.txt"));
                break;
            case TreeDamage.RenameToMd:
                foreach (string file in Directory.GetFiles(target))
                    File.Move(file, Path.ChangeExtension(file, ".md"));
                break;
            case TreeDamage.EmptyFile:
                File.WriteAllBytes(Path.Combine(target, "empty.txt"), []);
                break;
        }
        return root;
    }

    private static void Load(IReadOnlyList<(string Text, int Label)> train, IReadOnlyList<(string Text, int Label)> test)
    {
        using DataSplits splits = TextClassification.Load("fuzz", train, test, classes: 2, new DataOptions { Validation = new ValidationSplit(1) }, maxLength: 8, vocabularySize: 50);
    }

    [Fact]
    public void A_damaged_IMDB_folder_loads_or_fails_with_a_DataSetException()
    {
        FuzzCheck.Property<(string[] Reviews, int Damaged, Mutation[] Mutations, TreeDamage Tree, int Folder), DataSetException>(s_imdb, input =>
        {
            var (train, test) = TextClassification.ReadImdbFolder(WriteTree(input));
            Load(train, test);
        }, input => input.Reviews.Sum(r => r.Length) + 1024, iterations: 150,
        print: input => $"{input.Tree} {s_folders[input.Folder]}; review {input.Damaged}: {string.Join("; ", input.Mutations.AsEnumerable())}");
    }

    // Label-tab-text lines.
    private static readonly Gen<byte[]> s_tsv = Gen.Select(Gen.Bool, FuzzInputs.Words(s_words, 0, 8)).Array[2, 8]
        .Select(lines => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => $"{(l.Item1 ? "pos" : "neg")}\t{l.Item2}\n"))));

    [Fact]
    public void A_damaged_label_tab_text_file_loads_or_fails_with_a_DataSetException()
    {
        FuzzCheck.Property<byte[], DataSetException>(Gen.Select(s_tsv, Mutation.Several(s_tokens), Mutation.ApplyAll), bytes =>
        {
            string path = _folder.File("train.tsv");
            File.WriteAllBytes(path, bytes);
            var items = TextClassification.ReadTsv(path, ["neg", "pos"]);
            Load(items, items);
        }, bytes => bytes.Length, iterations: 200, print: bytes => Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Too_few_training_texts_for_the_validation_split_is_a_data_set_error()
    {
        var error = Assert.Throws<DataSetException>(() => TextClassification.Load("imdb", [("good", 1)], [("bad", 0)], classes: 2, new DataOptions()));

        Assert.Equal("The training data of 'imdb' holds 1 texts; the validation split takes 5,000 of them and needs at least one left for training, so pass a smaller --val-size or use the complete data set.", error.Message);
    }
}
