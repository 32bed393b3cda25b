using System.Diagnostics;
using System.Globalization;

namespace NoiseLab.Checkpoints;

/// <summary>
/// Named points where a chaos test can have this process killed (SIGKILL, no clean-up) to prove that a
/// crash there loses nothing: <c>NOISELAB_FAULT=POINT@N</c> kills the process at the N-th time it passes
/// POINT. The points: <c>checkpoint-write</c> (a checkpoint's bytes written, not yet flushed or renamed),
/// <c>store-commit</c> (an epoch's rows written, the transaction not committed), <c>before-checkpoint</c>
/// (the epoch stored, its checkpoint not yet written), <c>worker-exit</c> (a <c>--jobs</c> worker done with every run it
/// could claim, about to exit). Without the variable, a pass costs one comparison.
/// </summary>
public static class FaultInjection
{
    private static readonly (string Point, int Hit)? s_fault = Parse(Environment.GetEnvironmentVariable("NOISELAB_FAULT"));
    private static int s_hits;

    /// <summary>Passes <paramref name="point"/>; kills the process when this is the configured fault.</summary>
    public static void Hit(string point)
    {
        if (s_fault is not { } fault || fault.Point != point)
            return;
        if (Interlocked.Increment(ref s_hits) == fault.Hit)
        {
            using var self = Process.GetCurrentProcess();
            self.Kill();
            Thread.Sleep(Timeout.Infinite);
        }
    }

    private static (string, int)? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        string[] parts = text.Split('@');
        return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int hit) && hit > 0
            ? (parts[0], hit)
            : throw new InvalidOperationException($"NOISELAB_FAULT must be POINT@N (e.g. store-commit@3); got '{text}'.");
    }
}
