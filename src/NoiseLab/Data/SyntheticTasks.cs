using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Data;

/// <summary>
/// Sequence tasks that need no download, for quick runs and tests (the kind of long-range problems
/// seed 004 lists as hard to train), generated from a fixed seed:
/// <list type="bullet">
/// <item><c>majority</c>: a sequence of two tokens (ids 2 and 3, odd length); the class says which
/// occurs more often. A token classification task for the transformer.</item>
/// <item><c>adding</c> (Hochreiter and Schmidhuber): steps of (value in [0, 1), marker), with exactly
/// two markers, one in each half; the target is the sum of the two marked values. Regression for the
/// LSTM; predicting the mean scores an MSE of 1/6.</item>
/// <item><c>sentiment</c>: a stand-in for IMDB reviews. Words drawn with Zipf frequencies from a
/// vocabulary in which a tenth of the words carry a positive or negative weight
/// (<see cref="SentimentLexicon"/>); the class is 1 where the review's centred score plus logistic noise
/// (scale <see cref="SentimentNoiseScale"/>) is positive. Many sentiment words are rare, so a small
/// training set overfits, and the noise keeps the best accuracy below 1.</item>
/// </list>
/// </summary>
public static class SyntheticTasks
{
    /// <summary>The words per review of <c>sentiment</c> when none is named.</summary>
    public const int SentimentDefaultLength = 64;

    /// <summary>The vocabulary of <c>sentiment</c> when none is named.</summary>
    public const int SentimentDefaultVocabulary = 1000;

    /// <summary>The scale of the logistic noise added to a <c>sentiment</c> review's score before its label is read.</summary>
    public const double SentimentNoiseScale = 0.5;

    private static readonly double s_halfStep = Math.ScaleB(1, -54);

    /// <summary>Generates task <paramref name="task"/> with sequences of <paramref name="length"/>.</summary>
    public static DataSplits Create(string task, int length, int trainCount = 2000, int validationCount = 500, int testCount = 500, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        var random = new Random(unchecked((int)seed) ^ 0x5EED);
        return task.ToLowerInvariant() switch
        {
            "majority" => Majority(length % 2 == 0 ? length + 1 : length, random, trainCount, validationCount, testCount),
            "adding" => Adding(length, random, trainCount, validationCount, testCount),
            "sentiment" => Sentiment(length, SentimentDefaultVocabulary, trainCount, validationCount, testCount, seed),
            _ => throw new DataSetException($"Unknown synthetic task '{task}'; choose majority, adding or sentiment (synthetic:TASK[:length=N])."),
        };
    }

    /// <summary>
    /// Generates the <c>sentiment</c> task: reviews of <paramref name="length"/> word ids from 2 to
    /// <paramref name="vocabulary"/> + 1, labels 0 (negative) and 1 (positive). The test split is drawn
    /// first, then validation, then training, so the test reviews do not depend on the training size.
    /// </summary>
    public static DataSplits Sentiment(int length = SentimentDefaultLength, int vocabulary = SentimentDefaultVocabulary, int trainCount = 2000,
        int validationCount = 500, int testCount = 500, long seed = 0) =>
        Sentiment(length, vocabulary, trainCount, validationCount, testCount, seed, SentimentNoiseScale).Data;

    /// <summary>The <c>sentiment</c> task with its lexicon and a chosen noise scale (0: labels follow the score exactly).</summary>
    internal static (DataSplits Data, SentimentLexicon Lexicon) Sentiment(int length, int vocabulary, int trainCount, int validationCount, int testCount,
        long seed, double noiseScale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(noiseScale);
        var random = new Random(unchecked((int)seed) ^ 0x5EED);
        var lexicon = new SentimentLexicon(vocabulary, random);
        InMemoryDataset Make(int count)
        {
            var ids = new long[count * length];
            var labels = new long[count];
            for (int s = 0; s < count; s++)
            {
                Span<long> review = ids.AsSpan(s * length, length);
                for (int i = 0; i < length; i++)
                    review[i] = lexicon.DrawWord(random);
                // Logistic noise by its inverse CDF; the half-step keeps u inside (0, 1), so the noise is finite.
                double u = random.NextDouble() + s_halfStep;
                labels[s] = lexicon.Score(review) + noiseScale * Math.Log(u / (1 - u)) > 0 ? 1 : 0;
            }
            return new InMemoryDataset(tensor(ids, [count, length]), tensor(labels, [count]));
        }
        InMemoryDataset test = Make(testCount), validation = Make(validationCount), train = Make(trainCount);
        var data = new DataSplits("synthetic:sentiment", train, validation, test, 2) { VocabularySize = vocabulary + (int)SentimentLexicon.FirstWord };
        return (data, lexicon);
    }

    private static DataSplits Majority(int length, Random random, int train, int validation, int test)
    {
        InMemoryDataset Make(int count)
        {
            var ids = new long[count * length];
            var labels = new long[count];
            for (int s = 0; s < count; s++)
            {
                int ones = 0;
                for (int i = 0; i < length; i++)
                {
                    bool b = random.Next(2) == 1;
                    ids[s * length + i] = b ? 3 : 2;
                    ones += b ? 1 : 0;
                }
                labels[s] = 2 * ones > length ? 1 : 0;
            }
            return new InMemoryDataset(tensor(ids, [count, length]), tensor(labels, [count]));
        }
        return new DataSplits("synthetic:majority", Make(train), Make(validation), Make(test), 2) { VocabularySize = 4 };
    }

    private static DataSplits Adding(int length, Random random, int train, int validation, int test)
    {
        InMemoryDataset Make(int count)
        {
            var inputs = new float[count * length * 2];
            var targets = new float[count];
            for (int s = 0; s < count; s++)
            {
                int first = random.Next(length / 2), second = length / 2 + random.Next(length - length / 2);
                for (int i = 0; i < length; i++)
                {
                    float value = (float)random.NextDouble();
                    inputs[(s * length + i) * 2] = value;
                    if (i == first || i == second)
                    {
                        inputs[(s * length + i) * 2 + 1] = 1;
                        targets[s] += value;
                    }
                }
            }
            return new InMemoryDataset(tensor(inputs, [count, length, 2]), tensor(targets, [count, 1]));
        }
        return DataSplits.ForRegression("synthetic:adding", Make(train), Make(validation), Make(test), outputs: 1, targetScale: 1);
    }
}
