using Microsoft.Data.Sqlite;
using NoiseLab.Experiments;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Experiments;

/// <summary>A sweep packs the seeds of a configuration and plan into stacked runs; each replica is stored as its own run, as it would be alone.</summary>
public sealed class StackedSweepTests : IDisposable
{
    private const string Grid = """
        data: fashion-mnist
        generator: aes128-boxmuller-v1
        limit_train: 300
        epochs: 2
        seeds: [2, 3, 4]
        models: ["deepmlp:layers=3,width=16,init=he"]
        optimizers: [{optimizer: sgd, lr: 20}]
        noise:
          none: []
          mixed: ["input:gaussian:sigma=0.1", "perturb:anti:sigma=0.01", "gradient:annealed:eta=0.01"]
          hooked: ["activation:gaussian:sigma=0.1,after=fc1"]
        """;

    private static readonly System.Text.Json.JsonSerializerOptions s_json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private readonly TemporaryFolder _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private (SweepOutcome Outcome, Dictionary<string, StoredRun> Runs, Dictionary<string, string> Epochs) Sweep(string name, string stacking)
    {
        string text = $"name: {name}\n{stacking}{Grid}";
        string path = _folder.File(name + ".db");
        using RunStore store = RunStore.Open(path);
        SweepOutcome outcome = SweepRunner.Run(SweepSpec.Parse(text, name + ".yaml"), text, store,
            RunStoreTests.Options(_folder.File(name)) with { Threads = 1 });
        var runs = store.Runs(name).ToDictionary(r => r.Id);
        return (outcome, runs, runs.Keys.ToDictionary(id => id, id => System.Text.Json.JsonSerializer.Serialize(store.Epochs(name, id), s_json)));
    }

    [Fact]
    public void A_stacked_sweep_stores_every_replica_as_its_own_run_bit_for_bit_as_the_sweep_without_stacking()
    {
        var alone = Sweep("alone", "stacking: false\n");
        var stacked = Sweep("stacked", "");

        Assert.Equal(alone.Runs.Keys.Order(), stacked.Runs.Keys.Order());
        foreach (var (id, run) in alone.Runs)
        {
            StoredRun replica = stacked.Runs[id];
            Assert.Equal((run.Status, run.Error, run.Result), (replica.Status, replica.Error, replica.Result));
            Assert.Equal(alone.Epochs[id], stacked.Epochs[id]);
            Assert.Equal(0, run.Stacked);
            // Activation noise hooks into the single module's forward pass, so its runs train alone.
            Assert.Equal(id.Contains("|hooked|", StringComparison.Ordinal) ? 0 : 3, replica.Stacked);
        }
        // At lr 20 one replica of each stacked run diverges (with the noise bits of the generator pinned above), as its run does alone, and the other two finish.
        foreach (string plan in new[] { "none", "mixed" })
        {
            var pack = stacked.Runs.Values.Where(r => r.Plan == plan).ToList();
            StoredRun diverged = Assert.Single(pack, r => r.Status == RunStatus.Diverged);
            Assert.StartsWith("Training diverged: the loss became NaN at epoch 2", diverged.Error, StringComparison.Ordinal);
            Assert.Equal(2, pack.Count(r => r.Status == RunStatus.Finished));
        }
        Assert.Equal(alone.Outcome, stacked.Outcome);
    }

    [Fact]
    public void Partners_are_claimed_only_while_claimable_and_a_released_run_goes_back_uncounted()
    {
        string text = $"name: claims\n{Grid}";
        using RunStore store = RunStore.Open(_folder.File("claims.db"));
        store.Register(SweepSpec.Parse(text, "claims.yaml"), text);
        string lead = store.Claim("claims", "a", TimeSpan.FromMinutes(2))!;
        string[] partners = [.. store.Runs("claims").Where(r => r.Id != lead && RunPacks.KeyOf(r.Id) == RunPacks.KeyOf(lead)).Select(r => r.Id).Order(StringComparer.Ordinal)];
        Assert.Equal([partners[0]], store.ClaimRuns("claims", "b", TimeSpan.FromMinutes(2), [partners[0]]));

        var taken = store.ClaimRuns("claims", "a", TimeSpan.FromMinutes(2), [lead, .. partners]);
        store.Release("claims", partners[1], "a", resumable: false);

        Assert.Equal([partners[1]], taken);
        var runs = store.Runs("claims").ToDictionary(r => r.Id);
        Assert.Equal((RunStatus.Pending, 0, (string?)null), (runs[partners[1]].Status, runs[partners[1]].Attempts, runs[partners[1]].Owner));
        Assert.Equal(("b", RunStatus.Running), (runs[partners[0]].Owner, runs[partners[0]].Status));
        Assert.Throws<LeaseLostException>(() => store.Release("claims", partners[0], "a", resumable: true));
    }
}
