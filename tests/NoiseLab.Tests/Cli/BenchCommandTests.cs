using System.Text.Json;
using NoiseLab.Randomness;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Cli;

/// <summary>The bench command's quick form as CI runs it: the figures are there and are numbers; no timing is judged.</summary>
public sealed class BenchCommandTests
{
    private static readonly string[] s_placesOfNoise =
        ["input_gaussian", "input_relative", "activation", "gradient", "weight_kept", "perturb_before_all", "perturb_before_layerwise", "anti_pgd", "adaptive"];

    [Fact]
    public void Bench_quick_json_prints_one_object_with_every_figure_as_a_finite_number()
    {
        // Under a minute on an idle two-core machine; the limit is generous for a shared one, and one
        // TorchSharp thread keeps an oversubscribed machine from stalling in OpenMP barriers.
        var outcome = CliProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "NoiseLab.Cli.dll"), "bench", "--quick", "--json", "--threads", "1"],
            workingDirectory: null, TimeSpan.FromMinutes(20));

        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        using JsonDocument document = JsonDocument.Parse(outcome.StandardOutput);
        var figures = document.RootElement.EnumerateObject().Where(p => p.Name != "meta").ToDictionary(p => p.Name, p => p.Value);
        string[] ratios =
        [
            .. s_placesOfNoise.Select(p => "overhead." + p),
            .. s_placesOfNoise.Select(p => "overhead.tinycnn." + p),
            "overhead.transformer.embedding_gaussian", "overhead.transformer.embedding_neftune",
            "rng.gaussian_speedup_vs_torch", "rng.uniform_speedup_vs_torch", "rng.gaussian_over_fill",
            "rng.t1.gaussian_speedup_vs_torch", "rng.t2.gaussian_speedup_vs_torch", "rng.t2.gaussian_over_fill",
            "rng.t1.gaussian_samples_per_s", "rng.t1.torch_normal_samples_per_s", "rng.t1.fill_samples_per_s", "rng.t1.copy_samples_per_s",
            "rng.t1.gaussian_ns_per_sample", "rng.in_cache.fill_ns_per_sample",
            .. NoiseGenerator.All.Select(g => $"rng.in_cache.{g.Name.Replace('-', '_')}_ns_per_sample"),
            .. NoiseGenerator.All.Where(g => g != NoiseGenerator.Default).Select(g => $"rng.t1.gaussian_{g.Name.Replace('-', '_')}_time_over_default"),
            "rng.generic.float64.gaussian_samples_per_s", "rng.generic.bfloat16.gaussian_samples_per_s",
            "memory.simplecnn.plain_peak_mb", "memory.simplecnn.perturb_before_peak_mb",
            "sweep.runs_per_hour.jobs1", "sweep.runs_per_hour.jobs2", "sweep.jobs2_speedup",
            "sweep.table1.runs_per_hour.one_at_a_time", "sweep.table1.runs_per_hour.stacked", "sweep.table1.stacked_speedup",
            "sweep.table1.matmul_speedup", "sweep.table1.stacked_speedup_bound", "sweep.table1.matmul_gflops.one_at_a_time", "sweep.table1.matmul_gflops.stacked",
        ];
        string[] counts =
        [
            .. s_placesOfNoise.Prepend("plain").SelectMany(k => new[] { "alloc.bytes_per_step." + k, "alloc.tensors_per_step." + k, "alloc.parameter_sized_per_step." + k }),
            "alloc.parameter_sized_per_step.transformer.embedding_gaussian", "memory.simplecnn.extra_parameter_buffers",
        ];

        Assert.All(ratios, key => Assert.True(figures.TryGetValue(key, out JsonElement value) && value.GetDouble() > 0 && double.IsFinite(value.GetDouble()), $"{key}: {(figures.TryGetValue(key, out JsonElement v) ? v.ToString() : "missing")}"));
        Assert.All(ratios.Where(k => k.StartsWith("overhead.", StringComparison.Ordinal)), key =>
            Assert.True(figures[key + ".p25"].GetDouble() <= figures[key].GetDouble() && figures[key].GetDouble() <= figures[key + ".p75"].GetDouble(), $"{key}'s quartiles"));
        Assert.All(counts, key => Assert.True(figures.TryGetValue(key, out JsonElement value) && double.IsFinite(value.GetDouble()), $"{key} missing"));
        Assert.All(figures, f => Assert.Equal(JsonValueKind.Number, f.Value.ValueKind));
        // Injector work per step: every place that acts at the loop's moments, not the hooked activation noise.
        Assert.All(s_placesOfNoise.Where(p => p != "activation"), place =>
            Assert.True(figures[$"overhead.{place}.direct"].GetDouble() >= 1 && figures[$"overhead.{place}.direct_ms"].GetDouble() >= 0, $"{place}'s direct cost"));
        Assert.False(figures.ContainsKey("overhead.activation.direct"));
        Assert.Equal(1, figures["rng.identical_1_vs_2_threads"].GetDouble());
        Assert.Equal(22_954_506, figures["memory.simplecnn.parameters"].GetDouble());
        Assert.Equal("quick", document.RootElement.GetProperty("meta").GetProperty("sizes").GetString());
        // Each generator's Gaussian statistics on its 10⁶ quick samples (fixed keys: the same figures every run) are within four standard errors.
        Assert.All(NoiseGenerator.All.Select(g => $"quality.{g.Name.Replace('-', '_')}."), prefix =>
            Assert.Equal((1_000_000.0, 0.0), (figures[prefix + "samples"].GetDouble(), figures[prefix + "failures"].GetDouble())));
    }
}
