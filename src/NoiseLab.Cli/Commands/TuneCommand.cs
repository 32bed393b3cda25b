using System.CommandLine;
using System.Globalization;
using NoiseLab.Cli.Output;
using NoiseLab.Configuration;
using NoiseLab.Data;
using NoiseLab.Experiments;
using NoiseLab.Tuning;
using Spectre.Console;

namespace NoiseLab.Cli.Commands;

/// <summary>
/// <c>noiselab tune</c>: the sigma of one noise plan chosen on held-out data — the validation split or
/// k-fold cross-validation over the training split — with the one-standard-error choice beside the best.
/// The search itself is <see cref="SigmaSearch"/>; this command parses, reports progress and prints.
/// </summary>
internal static class TuneCommand
{
    private const int DefaultPoints = 7;

    /// <summary>The most sigmas a range may be split into; a search of more would train for weeks.</summary>
    public const int MaxPoints = 1_000;

    /// <summary>The most trainings (sigmas × seeds × folds) one search may ask for, as many as a sweep may hold.</summary>
    public const int MaxTrials = 10_000;

    public static Command Create()
    {
        var run = new RunOptions();
        var noise = new Option<string>("--noise") { Description = "The noise plan whose sigma is searched, written without sigma: PLACE:KIND[:key=value,...], e.g. input:gaussian or input:uniform:relative=true. Plans with a sigma: " + NoiseLab.Noise.NoiseSpec.AcceptedForms, Required = true };
        var sigmas = new Option<string?>("--sigmas") { Description = "Candidate sigmas, comma-separated, e.g. none,0.01,0.03,0.1; 0 or none trains without the plan, a baseline that shows whether noise helps at all." };
        var sigmaRange = new Option<string?>("--sigma-range") { Description = "Candidate sigmas as a log range LOW:HIGH (0 < LOW < HIGH) of --points values, both ends included, e.g. 0.001:1." };
        var points = new Option<int?>("--points") { Description = $"With --sigma-range: how many sigmas, spaced evenly in log scale (>= 2). Default: {DefaultPoints}." };
        var baseline = new Option<bool>("--baseline") { Description = "Add sigma 0 (no noise) to the candidates." };
        var foldCount = new Option<int?>("--folds") { Description = "Score by k-fold cross-validation over the training split: fold i (of a fixed seeded permutation) is the validation set, the other folds train. Default: train once and score on the validation split. The test split is never used to choose." };
        var seeds = new Option<string>("--seeds") { Description = "Run seeds, comma-separated; every candidate is trained with each on each fold.", DefaultValueFactory = _ => "0" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object {noise, metric, higher_is_better, folds, seeds, candidates: [...], best, one_standard_error, generator} on stdout and nothing else; progress goes to stderr." };

        var command = new Command("tune", "Find the best sigma of one noise plan by validation or k-fold cross-validation, with the one-standard-error choice (the largest sigma within one standard error of the best).");
        run.AddTo(command);
        foreach (Option option in new Option[] { noise, sigmas, sigmaRange, points, baseline, foldCount, seeds, json })
            command.Options.Add(option);
        command.SetAction(parsed => CommandRunner.Run(Console.Error, () =>
        {
            RunSpec spec = run.ToRunSpec(parsed);
            SigmaGrid grid = Candidates(parsed.GetValue(sigmas), parsed.GetValue(sigmaRange), parsed.GetValue(points), parsed.GetValue(baseline));
            int? k = parsed.GetValue(foldCount);
            if (k is < 2)
                throw new UsageException($"--folds must be at least 2; got {k}.");
            // The training split holds at most --limit-train samples: too many folds fail before any data is read.
            if (k is int folds && spec.Data.LimitTrain is int limit)
                CrossValidationFold.RequireSamples(folds, limit);
            long[] seedList = Seeds(parsed.GetValue(seeds)!);
            // Checked before the list of trials is built, so a huge product costs nothing.
            double trials = (double)grid.Values.Count * seedList.Length * (k ?? 1);
            if (trials > MaxTrials)
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"The search would train {trials:N0} times ({grid.Values.Count} sigmas × {seedList.Length} seeds × {k ?? 1} fold(s)), more than the {MaxTrials:N0} allowed; use fewer --points, --seeds or --folds."));
            NoisePlanTemplate plan = NoisePlanTemplate.Parse(parsed.GetValue(noise)!, spec.Trainer.Epochs);
            var search = new SigmaSearch(new SigmaSearchOptions { Run = spec, Plan = plan, Sigmas = grid, Seeds = seedList, Folds = k });
            int total = search.Trials().Count, done = 0;
            SigmaSearchResult result = search.Run(onTrial: (trial, score) =>
            {
                done++;
                string fold = trial.Fold is int i ? $", fold {i + 1}/{k}" : "";
                string value = score.Score is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "diverged";
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{done}/{total}] sigma {SigmaGrid.Format(trial.Sigma)}{fold}, seed {trial.Seed}: {value}"));
            });
            if (parsed.GetValue(json))
            {
                Console.Out.WriteLine(ResultJson.Serialize(result, plan, k, seedList, spec.Trainer.NoiseGenerator));
                return ExitCodes.Success;
            }
            IAnsiConsole console = AnsiConsole.Console;
            if (Console.IsOutputRedirected)
                console.Profile.Width = Math.Max(console.Profile.Width, 160);
            string runs = $"{seedList.Length} seed{(seedList.Length == 1 ? "" : "s")}";
            TuneTable.Write(console, result, plan, k is int folded ? $"{folded}-fold cross-validation × {runs}" : $"validation split × {runs}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static SigmaGrid Candidates(string? sigmas, string? range, int? points, bool baseline)
    {
        if (sigmas is not null && range is not null)
            throw new UsageException("Give the candidates with --sigmas or with --sigma-range, not both.");
        if (sigmas is null && range is null)
            throw new UsageException("Give the candidate sigmas with --sigmas S1,S2,... or --sigma-range LOW:HIGH --points N.");
        if (points is not null && range is null)
            throw new UsageException("--points goes with --sigma-range; --sigmas lists its candidates itself.");
        if (points is < 2 or > MaxPoints)
            throw new UsageException($"--points must be from 2 (the range's two ends) to {MaxPoints}; got {points}.");
        try
        {
            SigmaGrid grid = sigmas is not null ? SigmaGrid.Parse(sigmas) : SigmaGrid.ParseRange(range!, points ?? DefaultPoints);
            return baseline ? grid.WithBaseline() : grid;
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{(sigmas is not null ? "--sigmas" : "--sigma-range")}: {SpecArguments.Sentence(e)}.");
        }
    }

    private static long[] Seeds(string text)
    {
        var seeds = new List<long>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (seeds.Count == MaxTrials)
                throw new UsageException($"--seeds lists more than {MaxTrials:N0} seeds; a search may train at most {MaxTrials:N0} times.");
            if (!long.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed))
                throw new UsageException($"--seeds: '{part}' is not an integer; give seeds as a comma-separated list, e.g. 0,1,2.");
            seeds.Add(seed);
        }
        return [.. seeds];
    }
}
