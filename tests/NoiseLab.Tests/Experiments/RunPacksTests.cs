using NoiseLab.Experiments;

namespace NoiseLab.Tests.Experiments;

public sealed class RunPacksTests
{
    private static SweepSpec Spec(string extra, string models = "[\"deepmlp\", \"mlp:8\"]", string seeds = "[0, 1, 2, 3, 4]") => SweepSpec.Parse($"""
        name: packs
        limit_train: 300
        epochs: 1
        seeds: {seeds}
        models: {models}
        optimizers: [{"{"}optimizer: sgd, lr: 0.1{"}"}]
        noise:
          none: []
          hooked: ["activation:gaussian:sigma=0.1,after=fc1"]
        {extra}
        """, "packs.yaml");

    private static List<string[]> Packs(SweepSpec spec, int shard = 0, int shards = 1)
    {
        RunPacks packs = RunPacks.Of(spec, shard, shards);
        return [.. spec.RunsOfShard(shard, shards).Select(r => packs.PackOf(r.Id).Select(p => p.Id).ToArray()).DistinctBy(p => p[0])];
    }

    private static string Seeds(string[] pack) => string.Join(",", pack.Select(id => id[(id.LastIndexOf('=') + 1)..]));

    [Fact]
    public void The_seeds_of_one_configuration_and_plan_train_as_one_pack_in_grid_order_and_hooked_noise_trains_alone()
    {
        var packs = Packs(Spec(""));

        Assert.Equal(["0,1,2,3,4", "0", "1", "2", "3", "4", "0,1,2,3,4", "0", "1", "2", "3", "4"], packs.Select(Seeds));
        Assert.All(packs.Where(p => p.Length > 1), p => Assert.Single(p.Select(RunPacks.KeyOf).Distinct()));
        Assert.All(packs.Where(p => p.Length == 1), p => Assert.Contains("|hooked|", p[0], StringComparison.Ordinal));
    }

    [Fact]
    public void Max_replicas_cuts_packs_in_grid_order()
    {
        Assert.Equal(["0,1", "2,3", "4"], Packs(Spec("stacking: {max_replicas: 2}", models: "[\"mlp:8\"]")).Where(p => !p[0].Contains("hooked", StringComparison.Ordinal)).Select(Seeds));
    }

    [Fact]
    public void The_memory_bound_limits_a_pack_to_the_replicas_that_fit()
    {
        // mnistnet2 has 53.9 million parameters on 784 inputs: 32 bytes each and its activations, about 1.68 GB a replica by the estimate.
        SweepSpec spec = Spec("stacking: {max_memory_mb: 4000}", models: "[\"mnistnet2\"]", seeds: "[0, 1, 2]");
        double perReplica = StackedMemory.PerReplica(spec.Runs[0].Spec)!.Value;

        Assert.InRange(perReplica / (1 << 20), 1640, 1700);
        Assert.Equal(2, StackedMemory.MaxReplicas(spec.Runs[0].Spec, spec.Stacking));
        Assert.Equal(["0,1", "2"], Packs(spec).Where(p => !p[0].Contains("hooked", StringComparison.Ordinal)).Select(Seeds));
    }

    [Fact]
    public void A_shard_packs_only_its_own_runs()
    {
        SweepSpec spec = Spec("", models: "[\"mlp:8\"]");

        var first = Packs(spec, 0, 2);
        var second = Packs(spec, 1, 2);

        Assert.All(first.Concat(second), pack => Assert.All(pack, id => Assert.Single(new[] { 0, 1 }, shard => spec.RunsOfShard(shard, 2).Any(r => r.Id == id) && (first.Contains(pack) ? shard == 0 : shard == 1))));
        Assert.Equal(spec.Runs.Count, first.Concat(second).Sum(p => p.Length));
        Assert.Equal(["0,2,4", "1", "3"], first.Select(Seeds));
    }

    [Theory]
    [InlineData("stacking: false")]
    [InlineData("stacking: {enabled: false}")]
    [InlineData("pruning: {monitor: val_loss}")]
    public void Stacking_off_or_pruning_trains_every_run_alone(string extra)
    {
        Assert.All(Packs(Spec(extra)), pack => Assert.Single(pack));
    }

    [Theory]
    [InlineData("stacking: maybe", "'stacking' must be true, false or a mapping like {max_replicas: 20, max_memory_mb: 1024}, not 'maybe'.")]
    [InlineData("stacking: {max_replicas: 0}", "'stacking.max_replicas' must be at least 1, not 0.")]
    [InlineData("stacking: {max_memory: 10}", "unknown key 'max_memory'; accepted keys: enabled, max_replicas, max_memory_mb.")]
    public void A_bad_stacking_key_names_the_line_and_the_key(string extra, string expected)
    {
        var error = Assert.Throws<SweepSpecException>(() => Spec(extra));

        Assert.EndsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("packs.yaml:", error.Message, StringComparison.Ordinal);
    }
}
