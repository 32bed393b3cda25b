namespace NoiseLab.Data;

/// <summary>
/// The hidden rule behind <c>synthetic:sentiment</c>: a vocabulary whose words occur with Zipf frequencies
/// (p ∝ 1/rank, token id = rank + 1, so id 2 is the most frequent word) and a polarity per word. A share
/// <see cref="SentimentShare"/> of the words, chosen at random among all ranks, carry a weight of size
/// uniform in [<see cref="MinWeight"/>, <see cref="MaxWeight"/>] and random sign; the rest weigh 0. A
/// review's score is the sum of its words' weights less the expected sum, so that the classes are
/// balanced whatever the signs of the frequent words happen to be.
/// </summary>
internal sealed class SentimentLexicon
{
    /// <summary>The share of the vocabulary that carries sentiment.</summary>
    public const double SentimentShare = 0.1;

    /// <summary>The smallest size of a sentiment word's weight.</summary>
    public const double MinWeight = 0.5;

    /// <summary>The largest size of a sentiment word's weight.</summary>
    public const double MaxWeight = 1.5;

    /// <summary>The first word id; 0 is padding and 1 unknown, as in <see cref="TextClassification"/>.</summary>
    public const long FirstWord = 2;

    private readonly double[] _cumulative;   // by rank, unnormalized: Σ 1/k for k ≤ rank + 1
    private readonly double[] _weights;      // by id; ids 0 and 1 weigh 0

    /// <summary>Draws the polarity of <paramref name="vocabulary"/> words from <paramref name="random"/>.</summary>
    public SentimentLexicon(int vocabulary, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 1);
        ArgumentNullException.ThrowIfNull(random);
        _cumulative = new double[vocabulary];
        double total = 0;
        for (int rank = 0; rank < vocabulary; rank++)
            _cumulative[rank] = total += 1.0 / (rank + 1);

        _weights = new double[vocabulary + FirstWord];
        int[] ranks = [.. Enumerable.Range(0, vocabulary)];
        int sentimentWords = Math.Max(1, (int)Math.Round(SentimentShare * vocabulary));
        for (int i = 0; i < sentimentWords; i++)
        {
            // A partial Fisher–Yates shuffle: ranks[i] is a uniformly chosen rank not chosen before.
            int pick = i + random.Next(vocabulary - i);
            (ranks[i], ranks[pick]) = (ranks[pick], ranks[i]);
            double size = MinWeight + (MaxWeight - MinWeight) * random.NextDouble();
            _weights[ranks[i] + FirstWord] = random.Next(2) == 0 ? -size : size;
        }
        for (int rank = 0; rank < vocabulary; rank++)
            ExpectedWeight += _weights[rank + FirstWord] / (rank + 1) / total;
    }

    /// <summary>The number of words (ids <see cref="FirstWord"/> to <see cref="FirstWord"/> + Vocabulary − 1).</summary>
    public int Vocabulary => _cumulative.Length;

    /// <summary>The mean weight of a word drawn with the Zipf frequencies.</summary>
    public double ExpectedWeight { get; }

    /// <summary>The weight of word <paramref name="id"/>; 0 for padding, unknown and neutral words.</summary>
    public double Weight(long id) => _weights[id];

    /// <summary>A word id drawn with probability ∝ 1/rank.</summary>
    public long DrawWord(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u = random.NextDouble() * _cumulative[^1];
        int rank = Array.BinarySearch(_cumulative, u);
        // Not found: the complement is the first rank whose cumulative exceeds u.
        rank = rank >= 0 ? rank + 1 : ~rank;
        return Math.Min(rank, Vocabulary - 1) + FirstWord;
    }

    /// <summary>The centred score of a review: Σ weight − length × <see cref="ExpectedWeight"/>.</summary>
    public double Score(ReadOnlySpan<long> ids)
    {
        double sum = 0;
        foreach (long id in ids)
            sum += _weights[id];
        return sum - ids.Length * ExpectedWeight;
    }
}
