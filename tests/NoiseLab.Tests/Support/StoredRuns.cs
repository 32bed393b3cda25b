using NoiseLab.Experiments;
using NoiseLab.Training;

namespace NoiseLab.Tests.Support;

/// <summary>
/// Fills a store the way a sweep's workers would, without training: the spec registered, each run claimed in
/// grid order and settled as the test says (epochs stored, then finished, diverged, pruned or left as it is).
/// </summary>
internal static class StoredRuns
{
    /// <summary>The worker name the runs are claimed under.</summary>
    public const string Worker = "w";

    /// <summary>
    /// Registers <paramref name="specText"/> and hands each run, as it is claimed, with its claim number (0, 1, …)
    /// to <paramref name="settle"/>; stops when that returns false, leaving the rest pending.
    /// </summary>
    public static void Fill(RunStore store, string specText, Func<int, string, bool> settle)
    {
        SweepSpec spec = SweepSpec.Parse(specText, "spec.yaml");
        store.Register(spec, specText);
        int claimed = 0;
        while (store.Claim(spec.Name, Worker, TimeSpan.FromMinutes(1)) is string id && settle(claimed++, id))
        {
        }
    }

    /// <summary>Stores <paramref name="epochs"/> of a claimed run and finishes it with <paramref name="result"/>.</summary>
    public static void Finish(RunStore store, string sweep, string id, IEnumerable<EpochRecord> epochs, TrainingResult result, double seconds = 1)
    {
        foreach (EpochRecord record in epochs)
            store.RecordEpoch(sweep, id, Worker, record);
        store.Finish(sweep, id, Worker, result, seconds);
    }

    /// <summary>A classification result with <paramref name="testAccuracy"/>, as a finished run stores it.</summary>
    public static TrainingResult Result(double testLoss, double testAccuracy, string fingerprint = "") =>
        new([], testLoss, testAccuracy, new Dictionary<string, double> { ["accuracy"] = testAccuracy }) { StateFingerprint = fingerprint };
}
