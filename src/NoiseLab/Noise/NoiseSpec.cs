using NoiseLab.Adaptive;
using NoiseLab.Configuration;
using NoiseLab.Noise.Schedules;
using NoiseLab.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Noise;

/// <summary>
/// A noise plan in its command-line form, <c>PLACE:KIND[:key=value,...]</c>, parsed and validated
/// (everything but module names, which need the model) before anything runs. <see cref="Create"/>
/// builds the injector for a model.
/// </summary>
public sealed class NoiseSpec
{
    /// <summary>Every accepted form, for help texts and error messages.</summary>
    public const string AcceptedForms =
        "input:gaussian|uniform:sigma=S; " +
        "activation:gaussian|uniform:sigma=S,after=NAME[+NAME...]; " +
        "embedding:neftune:alpha=A or embedding:gaussian|uniform:sigma=S (module=NAME,pad=ID); " +
        "weight:gaussian|uniform:sigma=S[,scope=all|layerwise]; " +
        "perturb:gaussian|uniform:sigma=S[,when=before|after][,scope=all|layerwise][,batchnorm=clean|perturbed]; " +
        "perturb:anti:sigma=S; " +
        "gradient:gaussian|uniform:sigma=S or gradient:annealed:eta=E[,gamma=0.55]; " +
        "adaptive[:min_epochs=70,window=10,val_plateau=1e-4,overfit_epochs=3,grad_plateau=0.025,low_update=5e-4,sigma_min=0.01,sigma_max=0.05,consecutive=10,cd_min=3,cd_max=10,dist=gaussian|uniform] (seed 002, Table V defaults). " +
        "Level options: relative=true (or scale=std|rms), decay=R (s*R^epoch), cosine=true (damped to 0 over the run), " +
        "linear_to=S1 (linear to S1 over the run), step_every=E,step_factor=F.";

    private readonly Func<nn.Module, NoiseInjector> _create;

    private NoiseSpec(string text, string place, string kind, Func<nn.Module, NoiseInjector> create)
    {
        Text = text;
        Place = place;
        Kind = kind;
        _create = create;
    }

    /// <summary>The spec as written.</summary>
    public string Text { get; }

    /// <summary>input, activation, embedding, weight, perturb or gradient.</summary>
    public string Place { get; }

    /// <summary>gaussian, uniform, neftune, anti or annealed.</summary>
    public string Kind { get; }

    /// <summary>Builds the injector for <paramref name="model"/> (hooks attach now; unknown module names throw).</summary>
    public NoiseInjector Create(nn.Module model) => _create(model);

    /// <summary>Parses <paramref name="text"/> for a run of <paramref name="epochs"/> epochs.</summary>
    /// <exception cref="ArgumentException">The spec is malformed or a value is out of range; the message shows the accepted forms.</exception>
    public static NoiseSpec Parse(string text, int epochs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.Trim().Equals("adaptive", StringComparison.OrdinalIgnoreCase) || text.TrimStart().StartsWith("adaptive:", StringComparison.OrdinalIgnoreCase))
            return ParseAdaptive(text, epochs);
        string[] parts = text.Split(':', 3);
        if (parts.Length < 2)
            throw Invalid(text, "it needs PLACE:KIND");
        string place = parts[0].Trim().ToLowerInvariant(), kind = parts[1].Trim().ToLowerInvariant();
        var arguments = SpecArguments.Parse(parts.Length == 3 ? parts[2] : "", $"--noise {place}:{kind}");
        try
        {
            Func<nn.Module, NoiseInjector> create = (place, kind) switch
            {
                ("input", "gaussian" or "uniform") => Build(arguments, kind, epochs, s => _ => new InputNoise(s)),
                ("activation", "gaussian" or "uniform") => BuildActivation(arguments, kind, epochs),
                ("embedding", "neftune") => BuildEmbedding(arguments, "uniform", epochs, neftune: true),
                ("embedding", "gaussian" or "uniform") => BuildEmbedding(arguments, kind, epochs, neftune: false),
                ("weight", "gaussian" or "uniform") => BuildPerturbation(arguments, kind, epochs, PerturbationTiming.Kept, allowWhen: false),
                ("perturb", "gaussian" or "uniform") => BuildPerturbation(arguments, kind, epochs, PerturbationTiming.BeforeGradient, allowWhen: true),
                ("perturb", "anti") => Build(arguments, arguments.Text("dist", "gaussian"), epochs, s => _ => new AntiPgd(s)),
                ("gradient", "gaussian" or "uniform") => Build(arguments, kind, epochs, s => _ => new GradientNoise(s)),
                ("gradient", "annealed") => BuildAnnealed(arguments),
                _ => throw Invalid(text, $"unknown place or kind '{place}:{kind}'"),
            };
            arguments.RejectUnused();
            return new NoiseSpec(text, place, kind, create);
        }
        catch (ArgumentException e) when (!e.Message.StartsWith("--noise '", StringComparison.Ordinal))
        {
            // Keep the sentence; drop .NET's " (Parameter 'x')" and "Actual value was" suffixes.
            throw Invalid(text, SpecArguments.Sentence(e));
        }
    }

    private static NoiseSpec ParseAdaptive(string text, int epochs)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        var arguments = SpecArguments.Parse(colon < 0 ? "" : text[(colon + 1)..], "--noise adaptive");
        try
        {
            AdaptiveNoiseOptions options = AdaptiveNoiseOptions.Parse(arguments);
            arguments.RejectUnused();
            return new NoiseSpec(text, "adaptive", options.Distribution.ToString().ToLowerInvariant(), _ => new AdaptiveNoise(options, epochs));
        }
        catch (ArgumentException e)
        {
            throw Invalid(text, SpecArguments.Sentence(e));
        }
    }

    private static ArgumentException Invalid(string text, string problem) =>
        new($"--noise '{text}': {problem}. Accepted forms: {AcceptedForms}");

    private static Func<nn.Module, NoiseInjector> Build(SpecArguments arguments, string kind, int epochs, Func<NoiseSettings, Func<nn.Module, NoiseInjector>> make) =>
        make(Settings(arguments, kind, epochs, levelKey: "sigma"));

    private static NoiseSettings Settings(SpecArguments arguments, string kind, int epochs, string levelKey)
    {
        NoiseDistribution distribution = kind switch
        {
            "gaussian" => NoiseDistribution.Gaussian,
            "uniform" => NoiseDistribution.Uniform,
            _ => throw new ArgumentException($"dist must be gaussian or uniform, not '{kind}'"),
        };
        if (!arguments.Has(levelKey))
            throw new ArgumentException($"{levelKey}=VALUE is required");
        SigmaSchedule schedule = new ConstantSigma(arguments.Double(levelKey, 0));
        if (arguments.Has("decay"))
            schedule *= new ExponentialDecay(arguments.Double("decay", 1));
        if (arguments.Has("cosine"))
        {
            string cosine = arguments.Text("cosine", "true");
            int length = cosine.Equals("true", StringComparison.OrdinalIgnoreCase) ? epochs : arguments.Int("cosine", epochs);
            schedule *= new CosineDamping(length);
        }
        if (arguments.Has("linear_to"))
        {
            double start = arguments.Double(levelKey, 0);
            double end = arguments.Double("linear_to", 0);
            schedule = new LinearSigma(start, end, Math.Max(1, epochs - 1)) * RemoveConstant(schedule, start);
        }
        if (arguments.Has("step_every") || arguments.Has("step_factor"))
            schedule *= new StepSigma(arguments.Int("step_every", 1), arguments.Double("step_factor", 0.1));

        bool relative = arguments.Bool("relative", false);
        NoiseScale scale = arguments.Text("scale", relative ? "std" : "absolute").ToLowerInvariant() switch
        {
            "absolute" => NoiseScale.Absolute,
            "std" => NoiseScale.RelativeToStd,
            "rms" => NoiseScale.RelativeToRms,
            string other => throw new ArgumentException($"scale must be absolute, std or rms, not '{other}'"),
        };
        return new NoiseSettings(distribution, schedule, scale);
    }

    // linear_to replaces the constant level by a ramp; the other factors stay.
    private static SigmaSchedule RemoveConstant(SigmaSchedule schedule, double level) =>
        level == 0 ? new ConstantSigma(0) : schedule * new ConstantSigma(1 / level);

    private static Func<nn.Module, NoiseInjector> BuildActivation(SpecArguments arguments, string kind, int epochs)
    {
        string after = arguments.Text("after", "");
        if (after.Length == 0)
            throw new ArgumentException("after=NAME is required (the module whose output gets noise, e.g. after=fc1)");
        string[] names = after.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        NoiseSettings settings = Settings(arguments, kind, epochs, "sigma");
        return model => new ActivationNoise(model, names, settings);
    }

    private static Func<nn.Module, NoiseInjector> BuildEmbedding(SpecArguments arguments, string kind, int epochs, bool neftune)
    {
        string? module = arguments.Has("module") ? arguments.Text("module", "") : null;
        long pad = arguments.Int("pad", 0);
        NoiseSettings settings = Settings(arguments, kind, epochs, neftune ? "alpha" : "sigma");
        return model => new EmbeddingNoise(model, settings, neftune, module, pad);
    }

    private static Func<nn.Module, NoiseInjector> BuildPerturbation(SpecArguments arguments, string kind, int epochs, PerturbationTiming timing, bool allowWhen)
    {
        if (allowWhen)
        {
            timing = arguments.Text("when", "before").ToLowerInvariant() switch
            {
                "before" => PerturbationTiming.BeforeGradient,
                "after" => PerturbationTiming.Kept,
                string other => throw new ArgumentException($"when must be before or after, not '{other}'"),
            };
        }
        PerturbationScope scope = arguments.Text("scope", "all").ToLowerInvariant() switch
        {
            "all" => PerturbationScope.All,
            "layerwise" => PerturbationScope.Layerwise,
            string other => throw new ArgumentException($"scope must be all or layerwise, not '{other}'"),
        };
        BatchNormDuringPerturbation batchNorm = arguments.Text("batchnorm", "clean").ToLowerInvariant() switch
        {
            "clean" => BatchNormDuringPerturbation.CleanPass,
            "perturbed" => BatchNormDuringPerturbation.Perturbed,
            string other => throw new ArgumentException($"batchnorm must be clean or perturbed, not '{other}'"),
        };
        NoiseSettings settings = Settings(arguments, kind, epochs, "sigma");
        string name = allowWhen ? "perturb" : "weight";
        return _ => new WeightPerturbation(settings, timing, scope, batchNorm, name);
    }

    private static Func<nn.Module, NoiseInjector> BuildAnnealed(SpecArguments arguments)
    {
        if (!arguments.Has("eta"))
            throw new ArgumentException("eta=VALUE is required (the variance at step 0)");
        var settings = new NoiseSettings(NoiseDistribution.Gaussian, new AnnealedSigma(arguments.Double("eta", 0), arguments.Double("gamma", 0.55)));
        return _ => new GradientNoise(settings);
    }
}
