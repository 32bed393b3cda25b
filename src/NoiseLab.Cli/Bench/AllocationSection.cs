namespace NoiseLab.Cli.Bench;

/// <summary>
/// What a training step allocates with each kind of noise after warm-up, counted by
/// <see cref="AllocationCensus"/>: alloc.bytes_per_step.KIND (managed bytes on the training thread),
/// alloc.tensors_per_step.KIND (TorchSharp tensors created) and alloc.parameter_sized_per_step.KIND
/// (parameter-sized tensors with memory of their own; the goal is 0). KIND "plain" is the step without noise.
/// </summary>
internal static class AllocationSection
{
    /// <summary>Runs one epoch of <paramref name="workload"/> per kind and records the per-step counts.</summary>
    public static void Run(Workload workload, IReadOnlyList<NoiseCase> cases, int warmupSteps, BenchResults results, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(log);
        log.WriteLine($"allocations per step after {warmupSteps} warm-up steps: {workload.ModelName}, batch {workload.BatchSize}");
        log.WriteLine($"{"kind",-28} {"managed B",10} {"tensors",8} {"param-sized",12}");
        foreach (NoiseCase? noise in cases.Prepend(null))
        {
            var injector = noise?.Create(workload.Model);
            var census = new AllocationCensus(injector, warmupSteps);
            workload.Train(census);
            (injector as IDisposable)?.Dispose();
            string kind = noise?.Key ?? "plain";
            double bytes = census.ManagedBytes / (double)census.Steps, tensors = census.Tensors / (double)census.Steps;
            double parameterSized = census.ParameterSized / (double)census.Steps;
            results.Add($"alloc.bytes_per_step.{workload.Key}{kind}", bytes);
            results.Add($"alloc.tensors_per_step.{workload.Key}{kind}", tensors);
            results.Add($"alloc.parameter_sized_per_step.{workload.Key}{kind}", parameterSized);
            log.WriteLine($"{kind,-28} {bytes,10:F0} {tensors,8:F1} {parameterSized,12:F2}");
        }
    }
}
