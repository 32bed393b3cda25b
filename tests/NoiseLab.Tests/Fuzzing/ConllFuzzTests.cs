using System.Text;
using CsCheck;
using NoiseLab.Data;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Fuzzing;

/// <summary>CoNLL folders with damaged files: they load or fail with a <see cref="DataSetException"/>.</summary>
public sealed class ConllFuzzTests : IDisposable
{
    private static readonly string[] s_tokens = ["EU", "rejects", "German", "call", ".", "Peter", "Blackburn"];
    private static readonly string[] s_tags = ["O", "B-ORG", "B-MISC", "B-PER", "I-PER"];
    private static readonly byte[][] s_damage = Mutation.Text("-DOCSTART- -X- O O\n", "\n", "\n\n", " ", "\t", "B-LOC", "O", "\r\n", "\0", "\uFEFF", "x\n");
    private static readonly string[] s_files = ["train.txt", "valid.txt", "test.txt"];
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // One to three sentences of one to five "token POS CHUNK TAG" lines; validation and test reuse the training tags.
    private static readonly Gen<byte[]> s_file =
        Gen.Select(Gen.Int[0, s_tokens.Length - 1], Gen.Int[0, s_tags.Length - 1]).Array[1, 5].Array[1, 3].Select(sentences =>
        {
            var text = new StringBuilder("-DOCSTART- -X- -X- O\n\n");
            foreach (var sentence in sentences)
            {
                foreach (var (token, tag) in sentence)
                    text.Append($"{s_tokens[token]} NNP B-NP {s_tags[tag]}\n");
                text.Append('\n');
            }
            return Encoding.UTF8.GetBytes(text.ToString());
        });

    private static readonly byte[] s_allTags = Encoding.UTF8.GetBytes(string.Concat(s_tags.Select(t => $"x X X {t}\n")));

    // (train, valid, test, which is damaged: 0-2 one file, 3 all, 4 a file deleted, 5 a file emptied)
    private static readonly Gen<(byte[][] Files, int Which, Mutation[] Mutations)> s_inputs =
        Gen.Select(s_file.Array[3], Gen.Int[0, 5], Mutation.Several(s_damage));

    private void Load((byte[][] Files, int Which, Mutation[] Mutations) input)
    {
        string folder = Path.Combine(_folder.Path, "conll");
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        for (int i = 0; i < 3; i++)
        {
            byte[] bytes = i == 0 ? [.. s_allTags, 10, .. input.Files[0]] : input.Files[i];
            if (input.Which == i || input.Which == 3)
                bytes = Mutation.ApplyAll(bytes, input.Mutations);
            if (input.Which == 5 && i == input.Mutations.Length % 3)
                bytes = [];
            if (input.Which != 4 || i != input.Mutations.Length % 3)
                File.WriteAllBytes(Path.Combine(folder, s_files[i]), bytes);
        }
        using DataSplits splits = ConllData.Load(folder, new DataOptions(), maxLength: 16);
    }

    [Fact]
    public void A_damaged_CoNLL_folder_loads_or_fails_with_a_DataSetException()
    {
        FuzzCheck.Property<(byte[][] Files, int Which, Mutation[] Mutations), DataSetException>(s_inputs, Load,
            input => input.Files.Sum(f => f.Length), iterations: 200,
            print: input => $"damage {input.Which}: {string.Join(" | ", input.Files.Select(Encoding.UTF8.GetString))} {string.Join("; ", input.Mutations.AsEnumerable())}");
    }

    [Fact]
    public void A_folder_whose_files_hold_no_sentence_is_a_data_set_error()
    {
        string folder = Path.Combine(_folder.Path, "empty");
        Directory.CreateDirectory(folder);
        foreach (string file in s_files)
            File.WriteAllText(Path.Combine(folder, file), "-DOCSTART- -X- -X- O\n\n");

        var error = Assert.Throws<DataSetException>(() => ConllData.Load(folder, new DataOptions()));

        Assert.Equal($"The CoNLL file '{Path.Combine(folder, "train.txt")}' holds no sentence; it needs lines of a token and its tag, with a blank line after each sentence.", error.Message);
    }
}
