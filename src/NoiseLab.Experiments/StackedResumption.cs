using NoiseLab.Checkpoints;

namespace NoiseLab.Experiments;

/// <summary>
/// Where the replicas of an interrupted stacked run continue. They train in step, so they resume from one epoch: the
/// earliest any of them reached. A stacked run killed between its replicas' checkpoints leaves some of them one epoch
/// ahead, and each checkpoint folder keeps the epoch before its newest, so they go back to it. A replica that cannot
/// (its folder holds no checkpoint of that epoch, or it trained and the others did not) does not join.
/// </summary>
public static class StackedResumption
{
    /// <summary>The common epoch, and per replica the checkpoint to continue from (null: from the start) or whether it cannot join.</summary>
    /// <param name="replicas">Each replica's checkpoint folder and its newest intact checkpoint (null: none).</param>
    /// <param name="warn">Receives warnings about damaged checkpoints.</param>
    public static (int Epoch, IReadOnlyList<(bool Joins, TrainingCheckpoint? Start)> Replicas) Choose(
        IReadOnlyList<(CheckpointFolder Folder, TrainingCheckpoint? Latest)> replicas, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        int epoch = replicas.Count == 0 ? 0 : replicas.Min(r => r.Latest?.Epoch ?? 0);
        var chosen = new List<(bool, TrainingCheckpoint?)>();
        foreach (var (folder, latest) in replicas)
        {
            TrainingCheckpoint? start = latest is null || latest.Epoch == epoch ? latest : epoch > 0 ? folder.Load(epoch, warn) : null;
            chosen.Add((latest is null || start is not null, start));
        }
        return (epoch, chosen);
    }
}
