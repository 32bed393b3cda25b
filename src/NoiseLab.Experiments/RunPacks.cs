namespace NoiseLab.Experiments;

/// <summary>
/// The stacked runs of a sweep's shard. The runs of one configuration and noise plan differ only in their seed;
/// where they can train stacked (<see cref="StackedRunExecutor.CanStack"/>, stacking on, no pruning) they are cut,
/// in grid order, into packs of at most <see cref="StackedMemory.MaxReplicas"/> runs, each trained as one stacked
/// run with slot i for its i-th run. The packs follow from the spec, the shard and the stacking options alone, so a
/// pack that is interrupted and resumed trains again at its width, with every replica in its slot.
/// </summary>
public sealed class RunPacks
{
    private readonly Dictionary<string, IReadOnlyList<SweepRun>> _packs = new(StringComparer.Ordinal);

    private RunPacks()
    {
    }

    /// <summary>The packs of shard <paramref name="shard"/> of <paramref name="shards"/> of <paramref name="spec"/>.</summary>
    public static RunPacks Of(SweepSpec spec, int shard = 0, int shards = 1)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var packs = new RunPacks();
        bool stacking = spec.Stacking.Enabled && spec.Pruning is null;
        foreach (var group in spec.RunsOfShard(shard, shards).GroupBy(r => KeyOf(r.Id)))
        {
            List<SweepRun> runs = [.. group];
            int width = stacking && StackedRunExecutor.CanStack(runs[0].Spec) ? StackedMemory.MaxReplicas(runs[0].Spec, spec.Stacking) : 1;
            foreach (SweepRun[] pack in runs.Chunk(width))
            {
                foreach (SweepRun run in pack)
                    packs._packs[run.Id] = pack;
            }
        }
        return packs;
    }

    /// <summary>The pack of run <paramref name="id"/>, in slot order; the run alone when it trains alone.</summary>
    public IReadOnlyList<SweepRun> PackOf(string id) =>
        _packs.TryGetValue(id, out var pack) ? pack : throw new ArgumentException($"The run '{id}' is not in this shard's grid.", nameof(id));

    /// <summary>What the runs of one pack share: the run id without its seed (data, model, optimizer, clipping, noise plan).</summary>
    public static string KeyOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        int seed = id.LastIndexOf("|seed=", StringComparison.Ordinal);
        return seed < 0 ? id : id[..seed];
    }
}
