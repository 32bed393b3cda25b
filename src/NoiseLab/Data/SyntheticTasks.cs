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
/// </list>
/// </summary>
public static class SyntheticTasks
{
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
            _ => throw new DataSetException($"Unknown synthetic task '{task}'; choose majority or adding (synthetic:TASK[:length=N])."),
        };
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
