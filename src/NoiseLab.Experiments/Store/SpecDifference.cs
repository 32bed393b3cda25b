using System.Text.Json.Nodes;

namespace NoiseLab.Experiments;

/// <summary>Says in a few words where two versions of a spec differ, for the message that refuses the change.</summary>
public static class SpecDifference
{
    /// <summary>The first line that differs between <paramref name="stored"/> and <paramref name="given"/>, and how many lines differ in all.</summary>
    public static string Describe(string stored, string given)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(given);
        string[] before = Lines(stored), after = Lines(given);
        int length = Math.Max(before.Length, after.Length);
        int first = -1, differing = 0;
        for (int i = 0; i < length; i++)
        {
            if (i < before.Length && i < after.Length && before[i] == after[i])
                continue;
            differing++;
            if (first < 0)
                first = i;
        }
        if (first < 0)
            return "only blank lines or line endings differ";
        string change = first >= before.Length ? $"line {first + 1} '{after[first]}' was added"
            : first >= after.Length ? $"line {first + 1} '{before[first]}' was removed"
            : $"line {first + 1} was '{before[first]}' and is now '{after[first]}'";
        return differing == 1 ? change : $"{change}, and {differing - 1} more line{(differing == 2 ? "" : "s")} differ";
    }

    /// <summary>
    /// The first setting that differs between two of a run's stored configurations (JSON), as
    /// <c>trainer.epochs was 2 and is now 3</c>; null when they are the same.
    /// </summary>
    public static string? DescribeConfig(string stored, string given)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(given);
        return FirstDifference(JsonNode.Parse(stored), JsonNode.Parse(given), "");
    }

    private static string? FirstDifference(JsonNode? before, JsonNode? after, string path)
    {
        if (before is JsonObject a && after is JsonObject b)
        {
            foreach (string key in a.Select(p => p.Key).Concat(b.Select(p => p.Key)).Distinct(StringComparer.Ordinal))
            {
                if (FirstDifference(a[key], b[key], path.Length == 0 ? key : $"{path}.{key}") is { } inner)
                    return inner;
            }
            return null;
        }
        if (before is JsonArray x && after is JsonArray y && x.Count == y.Count)
        {
            for (int i = 0; i < x.Count; i++)
            {
                if (FirstDifference(x[i], y[i], $"{path}[{i}]") is { } inner)
                    return inner;
            }
            return null;
        }
        string was = before?.ToJsonString() ?? "absent", now = after?.ToJsonString() ?? "absent";
        return was == now ? null : $"{(path.Length == 0 ? "the configuration" : path)} was {was} and is now {now}";
    }

    private static string[] Lines(string text) =>
        [.. text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Select(line => line.TrimEnd())];
}
