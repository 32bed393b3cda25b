namespace NoiseLab.Data;

/// <summary>One sentence of a CoNLL file: its tokens and one tag per token.</summary>
public sealed record TaggedSentence(IReadOnlyList<string> Tokens, IReadOnlyList<string> Tags);

/// <summary>
/// Reads the CoNLL-2003 layout: one token per line with its columns separated by spaces (token first,
/// the named-entity tag last), sentences separated by blank lines, and <c>-DOCSTART-</c> lines between
/// documents (skipped).
/// </summary>
public static class ConllReader
{
    /// <summary>Reads every sentence of <paramref name="path"/>.</summary>
    /// <exception cref="DataSetException">The file is missing or a line has no tag column.</exception>
    public static IReadOnlyList<TaggedSentence> Read(string path)
    {
        if (!File.Exists(path))
            throw new DataSetException($"CoNLL file '{path}' does not exist.");
        var sentences = new List<TaggedSentence>();
        var tokens = new List<string>();
        var tags = new List<string>();
        int number = 0;
        foreach (string raw in File.ReadLines(path))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("-DOCSTART-", StringComparison.Ordinal))
            {
                Flush();
                continue;
            }
            string[] columns = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length < 2)
                throw new DataSetException($"CoNLL file '{path}' line {number}: '{line}' has no tag column; each line needs a token and its tag.");
            tokens.Add(columns[0]);
            tags.Add(columns[^1]);
        }
        Flush();
        return sentences;

        void Flush()
        {
            if (tokens.Count == 0)
                return;
            sentences.Add(new TaggedSentence([.. tokens], [.. tags]));
            tokens.Clear();
            tags.Clear();
        }
    }
}
