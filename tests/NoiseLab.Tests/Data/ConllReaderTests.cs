using NoiseLab.Data;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Data;

public sealed class ConllReaderTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Sentences_are_split_on_blank_lines_and_documents_skipped()
    {
        string path = _folder.File("train.txt");
        File.WriteAllText(path, """
            -DOCSTART- -X- -X- O

            EU NNP B-NP B-ORG
            rejects VBZ B-VP O
            German JJ B-NP B-MISC

            Peter NNP B-NP B-PER
            Blackburn NNP I-NP I-PER
            """);

        IReadOnlyList<TaggedSentence> sentences = ConllReader.Read(path);

        Assert.Equal(2, sentences.Count);
        Assert.Equal(["EU", "rejects", "German"], sentences[0].Tokens);
        Assert.Equal(["B-ORG", "O", "B-MISC"], sentences[0].Tags);
        Assert.Equal(["B-PER", "I-PER"], sentences[1].Tags);
    }

    [Fact]
    public void A_line_without_a_tag_is_named()
    {
        string path = _folder.File("bad.txt");
        File.WriteAllText(path, "EU B-ORG\nrejects\n");

        var error = Assert.Throws<DataSetException>(() => ConllReader.Read(path));

        Assert.Equal($"CoNLL file '{path}' line 2: 'rejects' has no tag column; each line needs a token and its tag.", error.Message);
    }
}
