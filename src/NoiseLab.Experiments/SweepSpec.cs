using System.Globalization;
using NoiseLab.Configuration;
using NoiseLab.Experiments.Pruning;
using NoiseLab.Data;
using NoiseLab.Models;
using NoiseLab.Noise;
using NoiseLab.Optimization;
using NoiseLab.Randomness;
using NoiseLab.Training;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace NoiseLab.Experiments;

/// <summary>
/// A sweep: a grid of runs described in YAML (see experiments/README.md) — data, models, optimizers,
/// clipping, noise plans and seeds, optionally in several <c>groups</c> that share the noise plans.
/// Everything is checked before anything runs: an unknown key, a value of the wrong type or out of
/// range, an unknown model, optimizer, schedule or noise form is an error naming the file, the line
/// and the key.
/// </summary>
public sealed class SweepSpec
{
    private static readonly string[] s_groupKeys = ["data", "limit_train", "val_size", "epochs", "batch_size", "weight_decay", "lr_schedule", "clip", "augment", "eval_train", "sharpness", "early_stopping", "models", "optimizers"];
    private static readonly string[] s_rootKeys = [.. s_groupKeys, "name", "seeds", "success_at", "noise", "groups", "pruning", "generator", "device", "dtype", "stacking"];

    /// <summary>The deepest nesting of lists and mappings a spec may have (a real one has four).</summary>
    public const int MaxDepth = 64;

    /// <summary>The most values a spec may expand to through its aliases.</summary>
    public const int MaxValues = 100_000;

    /// <summary>The most runs one sweep may hold.</summary>
    public const int MaxRuns = 10_000;

    /// <summary>The longest sweep name: it becomes a file name and a folder name.</summary>
    public const int MaxNameLength = 100;

    /// <summary>The longest group label: it becomes part of every run name of its group.</summary>
    public const int MaxLabelLength = 40;

    private SweepSpec(string name, IReadOnlyList<SweepRun> runs, double successAt, PruningOptions? pruning, NoiseGenerator generator, NoiseGenerator? namedGenerator, StackingOptions stacking)
    {
        Name = name;
        Runs = runs;
        SuccessAt = successAt;
        Pruning = pruning;
        Stacking = stacking;
        NoiseGenerator = generator;
        NamedGenerator = namedGenerator;
    }

    /// <summary>The noise generator every run draws with: the spec's <c>generator</c> key, <c>--generator</c>, or <see cref="NoiseGenerator.Default"/>.</summary>
    public NoiseGenerator NoiseGenerator { get; }

    /// <summary>The generator the spec's <c>generator</c> key names; null when it has none.</summary>
    public NoiseGenerator? NamedGenerator { get; }

    /// <summary>
    /// The same sweep drawing with <paramref name="generator"/> (the command line's <c>--generator</c>), which the
    /// spec's text does not show; the stored sweep records it.
    /// </summary>
    /// <exception cref="SweepSpecException">The spec's <c>generator</c> key names another generator.</exception>
    public SweepSpec WithNoiseGenerator(NoiseGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (NamedGenerator is not null && NamedGenerator != generator)
            throw new SweepSpecException($"The spec of sweep '{Name}' names generator {NamedGenerator.Name} and --generator names {generator.Name}; drop one of them.");
        SweepRun[] runs = [.. Runs.Select(r => r with { Spec = r.Spec with { Trainer = r.Spec.Trainer with { NoiseGenerator = generator } } })];
        return new SweepSpec(Name, runs, SuccessAt, Pruning, generator, NamedGenerator, Stacking);
    }

    /// <summary>How the seeds of one configuration and plan are packed into stacked runs (the <c>stacking</c> key).</summary>
    public StackingOptions Stacking { get; }

    /// <summary>How hopeless runs are pruned (the <c>pruning</c> key); null when they are not.</summary>
    public PruningOptions? Pruning { get; }

    /// <summary>The sweep's name.</summary>
    public string Name { get; }

    /// <summary>Every run of the grid, in a stable order.</summary>
    public IReadOnlyList<SweepRun> Runs { get; }

    /// <summary>
    /// Whether the run at grid <paramref name="position"/> belongs to shard <paramref name="shard"/> (from 0)
    /// of <paramref name="shards"/>: shards take every N-th run, so they are disjoint, cover the grid and
    /// each gets a mix of its configurations. The store's claim applies the same rule in SQL.
    /// </summary>
    public static bool InShard(int position, int shard, int shards) => position % shards == shard;

    /// <summary>The runs of shard <paramref name="shard"/> of <paramref name="shards"/>, in grid order.</summary>
    public IEnumerable<SweepRun> RunsOfShard(int shard, int shards) => Runs.Where((_, position) => InShard(position, shard, shards));

    /// <summary>The test accuracy a run must reach to count as a success (seed 004's success rate).</summary>
    public double SuccessAt { get; }

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <exception cref="SweepSpecException">The file is missing, not YAML, or invalid; the message names file, line and key.</exception>
    public static SweepSpec Load(string path)
    {
        if (!File.Exists(path))
            throw new SweepSpecException($"{path}: the sweep spec does not exist.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses YAML <paramref name="text"/>; <paramref name="source"/> names it in messages.</summary>
    public static SweepSpec Parse(string text, string source)
    {
        YamlMappingNode root = LoadYaml(text, source);

        var reader = new Reader(source);
        reader.RejectUnknown(root, s_rootKeys);
        string name = reader.Name(root, Path.GetFileNameWithoutExtension(source));
        long[] seeds = reader.Required(root, "seeds", n => reader.Seeds(n));
        double successAt = reader.Double(root, "success_at", 0.9, min: 0, max: 1);
        var plans = reader.Required(root, "noise", n => reader.Plans(n));
        PruningOptions? pruning = root.Children.TryGetValue(new YamlScalarNode("pruning"), out YamlNode? pruningNode) ? reader.Pruning(pruningNode) : null;
        StackingOptions stacking = root.Children.TryGetValue(new YamlScalarNode("stacking"), out YamlNode? stackingNode) ? reader.Stacking(stackingNode) : new StackingOptions();
        NoiseGenerator? namedGenerator = root.Children.TryGetValue(new YamlScalarNode("generator"), out YamlNode? generatorNode) ? reader.Generator(generatorNode) : null;
        // One device and dtype for the whole sweep: they are not part of a run's id.
        string device = "cpu";
        TorchSharp.torch.ScalarType dtype = TorchSharp.torch.ScalarType.Float32;
        if (root.Children.TryGetValue(new YamlScalarNode("device"), out YamlNode? deviceNode))
            reader.Check(deviceNode, "device", () => device = RunPlacement.Device(reader.Text(deviceNode, "device", "cpu"), "device"));
        if (root.Children.TryGetValue(new YamlScalarNode("dtype"), out YamlNode? dtypeNode))
            reader.Check(dtypeNode, "dtype", () => dtype = RunPlacement.DType(reader.Text(dtypeNode, "dtype", "float32"), "dtype"));

        var groups = new List<YamlMappingNode>();
        if (root.Children.TryGetValue(new YamlScalarNode("groups"), out YamlNode? groupList))
        {
            foreach (YamlNode group in reader.Sequence(groupList, "groups"))
            {
                if (group is not YamlMappingNode mapping)
                    throw reader.Error(group, "groups", "each group must be a mapping of keys");
                reader.RejectUnknown(mapping, [.. s_groupKeys, "plans", "label"]);
                groups.Add(mapping);
            }
        }
        else
        {
            groups.Add(root);
        }

        var runs = new List<SweepRun>();
        // Which group each run id came from: two runs of one name would be one run in the store.
        var groupOfRun = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        double gridSize = 0;
        foreach (YamlMappingNode group in groups)
        {
            YamlNode Get(string key) => group.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? value
                : root.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? inherited) ? inherited : null!;
            string data = reader.Text(Get("data"), "data", MnistFamily.FashionMnist.Name);
            string? label = group.Children.TryGetValue(new YamlScalarNode("label"), out YamlNode? labelNode) ? reader.Label(labelNode) : null;
            // A group may run only some of the sweep's plans: a noise level that only one model family is studied at.
            var groupPlans = group != root && group.Children.TryGetValue(new YamlScalarNode("plans"), out YamlNode? chosen) ? reader.PlanSubset(chosen, plans) : plans;
            int? limit = Get("limit_train") is { } l ? (int)reader.Long(l, "limit_train", min: 1, max: int.MaxValue) : null;
            int validationSize = Get("val_size") is { } vs ? (int)reader.Long(vs, "val_size", min: 1, max: int.MaxValue) : DataSetCatalog.DefaultValidationSize(data);
            int epochs = Get("epochs") is { } e ? (int)reader.Long(e, "epochs", min: 1, max: int.MaxValue) : throw reader.Error(group, "epochs", "is required");
            int batch = Get("batch_size") is { } b ? (int)reader.Long(b, "batch_size", min: 1, max: int.MaxValue) : 128;
            double decay = Get("weight_decay") is { } w ? reader.Number(w, "weight_decay", min: 0) : 0;
            string schedule = reader.Text(Get("lr_schedule"), "lr_schedule", "constant");
            bool augment = reader.Flag(Get("augment"), "augment", fallback: false);
            bool evaluateTrainingSet = reader.Flag(Get("eval_train"), "eval_train", fallback: false);
            int sharpness = Get("sharpness") is { } k ? (int)reader.Long(k, "sharpness", min: 0, max: int.MaxValue) : 0;
            reader.Check(Get("lr_schedule"), "lr_schedule", () => RunRequirements.CheckSchedule(schedule, 0.1));
            EarlyStoppingOptions? earlyStopping = Get("early_stopping") is { } stopping ? reader.EarlyStopping(stopping) : null;
            double?[] clips = Get("clip") is { } c
                ? (c is YamlSequenceNode ? reader.List(c, "clip", item => (double?)reader.Number(item, "clip", min: 0, exclusiveMin: true)) : [reader.Number(c, "clip", min: 0, exclusiveMin: true)])
                : [null];
            string[] models = Get("models") is { } m ? reader.List(m, "models", item => reader.Model(item)) : throw reader.Error(group, "models", "is required");
            var optimizers = Get("optimizers") is { } o ? reader.List(o, "optimizers", item => reader.Optimizer(item, decay)) : throw reader.Error(group, "optimizers", "is required");
            gridSize += (double)models.Length * optimizers.Length * clips.Length * groupPlans.Count * seeds.Length;
            if (gridSize > MaxRuns)
                throw new SweepSpecException(string.Create(CultureInfo.InvariantCulture, $"{source}:{group.Start.Line}: the sweep's grid has {gridSize:N0} runs, more than the {MaxRuns:N0} that one sweep may hold; split it into several specs."));
            var parsedPlans = new List<(string Name, NoiseSpec[] Specs, YamlNode Node)>();
            foreach (var (planName, specs, node) in groupPlans)
            {
                NoiseSpec[] parsed = [.. specs.Select(spec => { NoiseSpec? result = null; reader.Check(node, $"noise.{planName}", () => result = NoiseSpec.Parse(spec, epochs)); return result!; })];
                parsedPlans.Add((planName, parsed, node));
            }
            // What would otherwise fail only when a run starts: the data set, each model for its data, and the modules noise hooks into.
            reader.Check(Get("data") ?? group, "data", () => DataSetNames.Check(data, limit));
            // A monitor the runs' records lack would be met only at the end of the first epoch.
            if (earlyStopping is not null)
                reader.Check(MonitorNode(Get("early_stopping")), "early_stopping.monitor", () => RunRequirements.CheckMonitor(earlyStopping.Monitor, data));
            if (pruning is not null)
                reader.Check(MonitorNode(pruningNode!), "pruning.monitor", () => RunRequirements.CheckMonitor(pruning.Monitor, data));
            YamlNode modelsNode = Get("models");
            foreach (string model in models.Distinct())
            {
                reader.Check(modelsNode, "models", () => RunRequirements.CheckModel(ModelSpec.Parse(model), data, [], batch));
                foreach (var (planName, parsed, node) in parsedPlans.Where(p => p.Specs.Any(s => s.Place is "activation" or "embedding")))
                    reader.Check(node, $"noise.{planName}", () => RunRequirements.CheckModel(ModelSpec.Parse(model), data, parsed, batch));
            }

            foreach (string model in models)
            foreach (var (optimizerName, optimizer) in optimizers)
            foreach (double? clip in clips)
            foreach (var (planName, specs, _) in groupPlans)
            foreach (long seed in seeds)
            {
                string id = string.Create(CultureInfo.InvariantCulture,
                    $"{data}|{model}|{optimizerName}:{optimizer.LearningRate}|clip={(clip is double v ? v.ToString(CultureInfo.InvariantCulture) : "none")}{(label is null ? "" : "|" + label)}|{planName}|seed={seed}");
                if (!groupOfRun.TryAdd(id, group))
                    throw reader.Repeated(id, group, groupOfRun[id]);
                runs.Add(new SweepRun(id, planName, new RunSpec
                {
                    DataSet = data,
                    Data = new DataOptions { LimitTrain = limit, Validation = new ValidationSplit(validationSize) },
                    Model = ModelSpec.Parse(model),
                    Optimizer = optimizer,
                    LearningRateSchedule = schedule,
                    Noise = specs,
                    Augment = augment,
                    SharpnessEvery = sharpness,
                    EarlyStopping = earlyStopping,
                    Trainer = new TrainerOptions { Epochs = epochs, BatchSize = batch, ClipNorm = clip, Seed = seed, EvaluateTrainingSet = evaluateTrainingSet, NoiseGenerator = namedGenerator ?? NoiseGenerator.Default },
                    Device = device,
                    DType = dtype,
                }));
            }
        }
        return new SweepSpec(name, runs, successAt, pruning, namedGenerator ?? NoiseGenerator.Default, namedGenerator, stacking);
    }

    // The line of a mapping's monitor: the value itself when written, else the mapping that took the default.
    private static YamlNode MonitorNode(YamlNode mapping) =>
        mapping is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("monitor"), out YamlNode? monitor) ? monitor : mapping;

    // The document's root mapping. The events are read once before YamlDotNet builds its tree, so that
    // nesting that would overflow the stack, or aliases that would expand a few lines into billions of
    // values, fail at once with a message instead of crashing or hanging.
    private static YamlMappingNode LoadYaml(string text, string source)
    {
        long line = 1;
        try
        {
            var parser = new Parser(new StringReader(text));
            var open = new Stack<Collection>();
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            while (parser.MoveNext())
            {
                ParsingEvent current = parser.Current!;
                line = current.Start.Line;
                switch (current)
                {
                    case MappingStart or SequenceStart:
                        if (open.Count >= MaxDepth)
                            throw new SweepSpecException($"{source}:{line}: the spec nests lists and mappings more than {MaxDepth} levels deep; a sweep spec needs a few.");
                        open.Push(new Collection(((NodeEvent)current).Anchor is { IsEmpty: false } anchor ? anchor.Value : null));
                        break;
                    case MappingEnd or SequenceEnd when open.Count > 0:
                        Collection done = open.Pop();
                        if (done.Anchor is not null)
                            sizes[done.Anchor] = done.Size;
                        Add(done.Size);
                        break;
                    case Scalar scalar:
                        if (!scalar.Anchor.IsEmpty)
                            sizes[scalar.Anchor.Value] = 1;
                        Add(1);
                        break;
                    case AnchorAlias alias:
                        if (open.Any(c => c.Anchor == alias.Value.Value))
                            throw new SweepSpecException($"{source}:{line}: the alias *{alias.Value.Value} refers to the list or mapping that holds it; a spec cannot contain itself.");
                        Add(sizes.GetValueOrDefault(alias.Value.Value, 1));
                        break;
                }
            }

            void Add(long size)
            {
                if (open.Count == 0)
                    return;
                Collection parent = open.Peek();
                parent.Size += size;
                if (parent.Size > MaxValues)
                    throw new SweepSpecException(sizes.Count > 0
                        ? string.Create(CultureInfo.InvariantCulture, $"{source}:{line}: the spec's aliases (*name) expand it to more than {MaxValues:N0} values; write the lists out instead.")
                        : string.Create(CultureInfo.InvariantCulture, $"{source}:{line}: the spec holds more than {MaxValues:N0} values, far more than a sweep of at most {MaxRuns:N0} runs needs; shorten its lists or split it into several specs."));
            }

            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
                throw new SweepSpecException($"{source}:1: a sweep spec is one YAML mapping of keys (name, data, models, ...).");
            return root;
        }
        catch (YamlException e)
        {
            throw new SweepSpecException($"{source}:{e.Start.Line}: not valid YAML ({e.Message}).");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet fails this way on some malformed input: its scanner on a backslash before the end of a
            // flow list (InvalidOperationException), its node loader on an alias right after a flow list (ArgumentException).
            throw new SweepSpecException($"{source}:{line}: not valid YAML ({e.Message}).");
        }
    }

    // A list or mapping being read: its anchor and how many values it expands to.
    private sealed class Collection(string? anchor)
    {
        public string? Anchor { get; } = anchor;

        public long Size { get; set; } = 1;
    }

    /// <summary>Typed reads that report file, line and key.</summary>
    private sealed class Reader(string source)
    {
        public SweepSpecException Error(YamlNode node, string key, string problem) =>
            new($"{source}:{node.Start.Line}: '{key}' {problem}.");

        public void RejectUnknown(YamlMappingNode mapping, string[] accepted)
        {
            foreach (var (keyNode, _) in mapping.Children)
            {
                if (keyNode is not YamlScalarNode scalar)
                    throw new SweepSpecException($"{source}:{keyNode.Start.Line}: keys must be plain words like 'epochs', not a list or a mapping.");
                string key = scalar.Value ?? "";
                if (!accepted.Contains(key))
                    throw new SweepSpecException($"{source}:{keyNode.Start.Line}: unknown key '{key}'; accepted keys: {string.Join(", ", accepted)}.");
            }
        }

        public T Required<T>(YamlMappingNode mapping, string key, Func<YamlNode, T> read) =>
            mapping.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node) ? read(node) : throw Error(mapping, key, "is required");

        public IEnumerable<YamlNode> Sequence(YamlNode node, string key) =>
            node as YamlSequenceNode ?? throw Error(node, key, "must be a list");

        public T[] List<T>(YamlNode node, string key, Func<YamlNode, T> read)
        {
            T[] items = [.. Sequence(node, key).Select(read)];
            return items.Length > 0 ? items : throw Error(node, key, "must not be empty");
        }

        public string Text(YamlNode? node, string key, string fallback) => node switch
        {
            null => fallback,
            // A tag (!!binary, !!int, !custom) asks for a meaning the spec does not give it; the text would be taken literally.
            YamlScalarNode { Tag.IsEmpty: false } tagged when !IsStringTag(tagged.Tag.Value) =>
                throw Error(node, key, $"must be plain text, not a value tagged {tagged.Tag.Value.Replace("tag:yaml.org,2002:", "!!", StringComparison.Ordinal)}; remove the tag"),
            YamlScalarNode { Value: { } value } when !string.IsNullOrWhiteSpace(value) => value,
            _ => throw Error(node, key, "must be a text value"),
        };

        public bool Flag(YamlNode? node, string key, bool fallback) => Text(node, key, fallback ? "true" : "false") switch
        {
            "true" => true,
            "false" => false,
            var other => throw Error(node!, key, $"must be true or false, not '{other}'"),
        };

        private static bool IsStringTag(string tag) => tag is "tag:yaml.org,2002:str" or "!!str" or "!";

        /// <summary>The sweep's name: one path segment of safe characters, since it names the store file and the checkpoint folder.</summary>
        public string Name(YamlMappingNode root, string fallback)
        {
            YamlNode? node = root.Children.TryGetValue(new YamlScalarNode("name"), out YamlNode? n) ? n : null;
            string name = Text(node, "name", fallback);
            if (name.Length > MaxNameLength || name is "." or ".." || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') || !char.IsAsciiLetterOrDigit(name[0]))
            {
                string problem = $"must be one path segment of at most {MaxNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit (it names the store file and the checkpoint folder), not '{DataSetNames.Shorten(name)}'";
                throw node is null
                    ? new SweepSpecException($"{source}:1: the spec has no 'name', and its file name '{DataSetNames.Shorten(name)}' cannot be one: the name {problem}; add a name: line.")
                    : Error(node, "name", problem);
            }
            return name;
        }

        /// <summary>A group's <c>label</c>: one more part of its runs' names, so that groups differing only in settings a name leaves out (augment, epochs, ...) stay apart.</summary>
        public string Label(YamlNode node)
        {
            string label = Text(node, "label", "");
            if (label.Length is 0 or > MaxLabelLength || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                throw Error(node, "label", $"must be 1 to {MaxLabelLength} letters, digits, '.', '_' or '-' (it becomes part of each run's name), not '{DataSetNames.Shorten(label)}'");
            return label;
        }

        /// <summary>Two runs of the grid came out with one name <paramref name="id"/>: the error says where, and how to tell them apart.</summary>
        public SweepSpecException Repeated(string id, YamlMappingNode group, YamlMappingNode earlier) =>
            group == earlier
                ? new($"{source}:{group.Start.Line}: two runs of this group are both named '{id}' (a model listed twice, or two optimizers of one kind and learning rate); remove the repeat, or give each its own group with its own label.")
                : new($"{source}:{group.Start.Line}: this group's run '{id}' is also a run of the group at line {earlier.Start.Line}; a run's name holds only its data, model, optimizer and learning rate, clip, plan and seed, so give one of the groups a label (e.g. label: no-augment) to keep both.");

        /// <summary>The seeds, each once: a repeated seed would be the same run twice.</summary>
        public long[] Seeds(YamlNode node)
        {
            long[] seeds = List(node, "seeds", item => Long(item, "seeds"));
            if (seeds.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1) is { } repeated)
                throw Error(node, "seeds", $"lists the seed {repeated.Key} {repeated.Count()} times; each seed must appear once");
            return seeds;
        }

        public string Text(YamlMappingNode mapping, string key, string fallback) =>
            Text(mapping.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node) ? node : null, key, fallback);

        public long Long(YamlNode node, string key, long min = long.MinValue, long max = long.MaxValue)
        {
            if (node is not YamlScalarNode { Value: { } text } || !long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
                throw Error(node, key, $"must be an integer, not '{(node as YamlScalarNode)?.Value}'");
            if (value > max)
                throw Error(node, key, $"must be at most {max}, not {value}");
            return value >= min ? value : throw Error(node, key, $"must be at least {min}, not {value}");
        }

        public double Number(YamlNode node, string key, double min = double.MinValue, double max = double.MaxValue, bool exclusiveMin = false)
        {
            if (node is not YamlScalarNode { Value: { } text } || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                throw Error(node, key, $"must be a number, not '{(node as YamlScalarNode)?.Value}'");
            bool low = exclusiveMin ? value <= min : value < min;
            return low || value > max ? throw Error(node, key, $"must be {(exclusiveMin ? ">" : ">=")} {min}{(max < double.MaxValue ? $" and <= {max}" : "")}, not {value}") : value;
        }

        public double Double(YamlMappingNode mapping, string key, double fallback, double min, double max) =>
            mapping.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node) ? Number(node, key, min, max) : fallback;

        public void Check(YamlNode? node, string key, Action validate)
        {
            try
            {
                validate();
            }
            catch (ArgumentException e) when (node is not null)
            {
                throw Error(node, key, $"is invalid: {SpecArguments.Sentence(e)}");
            }
            catch (Exception e) when (node is not null && e is DataSetException or System.Runtime.InteropServices.ExternalException)
            {
                throw Error(node, key, $"is invalid: {RunFailure.Describe(e).TrimEnd('.')}");
            }
        }

        public string Model(YamlNode node)
        {
            string text = Text(node, "models", "");
            string name = ModelSpec.Parse(text).Name;
            return ModelRegistry.Describe().Any(m => m.Name == name) ? text
                : throw Error(node, "models", $"names unknown model '{name}'; known: {string.Join(", ", ModelRegistry.Describe().Select(m => m.Name))}");
        }

        public (string Name, OptimizerSpec Spec) Optimizer(YamlNode node, double weightDecay)
        {
            if (node is not YamlMappingNode mapping)
                throw Error(node, "optimizers", "entries must be mappings like {optimizer: sgd, lr: 0.1}");
            RejectUnknown(mapping, ["optimizer", "lr", "momentum"]);
            string name = Text(mapping, "optimizer", "");
            YamlNode lrNode = mapping.Children.TryGetValue(new YamlScalarNode("lr"), out YamlNode? l) ? l : throw Error(mapping, "optimizers.lr", "is required");
            double? momentum = mapping.Children.TryGetValue(new YamlScalarNode("momentum"), out YamlNode? m) ? Number(m, "optimizers.momentum") : null;
            OptimizerSpec? spec = null;
            Check(mapping, "optimizers", () => spec = new OptimizerSpec(OptimizerSpec.ParseKind(name), Number(lrNode, "optimizers.lr"), momentum, weightDecay));
            return (name, spec!);
        }

        public PruningOptions Pruning(YamlNode node)
        {
            if (node is not YamlMappingNode mapping)
                throw Error(node, "pruning", "must be a mapping like {monitor: val_loss, warmup: 2, min_runs: 5}");
            RejectUnknown(mapping, ["monitor", "mode", "warmup", "min_runs"]);
            YamlNode? Value(string key) => mapping.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? value : null;
            var options = new PruningOptions
            {
                Monitor = Text(Value("monitor"), "pruning.monitor", "val_loss"),
                Mode = Value("mode") is { } m ? Mode(m, "pruning.mode") : null,
                Warmup = Value("warmup") is { } w ? (int)Long(w, "pruning.warmup", min: 0, max: int.MaxValue) : 0,
                MinRuns = Value("min_runs") is { } r ? (int)Long(r, "pruning.min_runs", min: 1, max: int.MaxValue) : 5,
            };
            Check(node, "pruning", options.Validate);
            return options;
        }

        public StackingOptions Stacking(YamlNode node)
        {
            if (node is YamlScalarNode)
            {
                return Text(node, "stacking", "") switch
                {
                    "true" => new StackingOptions(),
                    "false" => StackingOptions.Off,
                    var other => throw Error(node, "stacking", $"must be true, false or a mapping like {{max_replicas: 20, max_memory_mb: 1024}}, not '{other}'"),
                };
            }
            if (node is not YamlMappingNode mapping)
                throw Error(node, "stacking", "must be true, false or a mapping like {max_replicas: 20, max_memory_mb: 1024}");
            RejectUnknown(mapping, ["enabled", "max_replicas", "max_memory_mb"]);
            YamlNode? Value(string key) => mapping.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? value : null;
            var defaults = new StackingOptions();
            return new StackingOptions
            {
                Enabled = Flag(Value("enabled"), "stacking.enabled", fallback: true),
                MaxReplicas = Value("max_replicas") is { } r ? (int)Long(r, "stacking.max_replicas", min: 1, max: 1024) : defaults.MaxReplicas,
                MaxMemoryMegabytes = Value("max_memory_mb") is { } m ? (int)Long(m, "stacking.max_memory_mb", min: 1, max: int.MaxValue) : defaults.MaxMemoryMegabytes,
            };
        }

        public NoiseGenerator Generator(YamlNode node)
        {
            string name = Text(node, "generator", "");
            return NoiseGenerator.TryFind(name, out NoiseGenerator generator) ? generator
                : throw Error(node, "generator", $"names no noise generator '{DataSetNames.Shorten(name)}'; the generators are {NoiseGenerator.KnownNames}");
        }

        public MonitorMode Mode(YamlNode node, string key) => Text(node, key, "") switch
        {
            "min" => MonitorMode.Min,
            "max" => MonitorMode.Max,
            var other => throw Error(node, key, $"must be min or max, not '{other}'"),
        };

        public EarlyStoppingOptions EarlyStopping(YamlNode node)
        {
            if (node is not YamlMappingNode mapping)
                throw Error(node, "early_stopping", "must be a mapping like {monitor: val_loss, patience: 3, min_delta: 0, restore: true}");
            RejectUnknown(mapping, ["monitor", "mode", "patience", "min_delta", "restore"]);
            YamlNode? Value(string key) => mapping.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? value : null;
            string? mode = Value("mode") is { } m ? Text(m, "early_stopping.mode", "") : null;
            var options = new EarlyStoppingOptions
            {
                Monitor = Text(Value("monitor"), "early_stopping.monitor", "val_loss"),
                Mode = mode switch
                {
                    null => null,
                    "min" => MonitorMode.Min,
                    "max" => MonitorMode.Max,
                    _ => throw Error(Value("mode")!, "early_stopping.mode", $"must be min or max, not '{mode}'"),
                },
                Patience = Value("patience") is { } p ? (int)Long(p, "early_stopping.patience", min: 0, max: int.MaxValue) : 0,
                MinDelta = Value("min_delta") is { } d ? Number(d, "early_stopping.min_delta", min: 0) : 0,
                RestoreBestWeights = Flag(Value("restore"), "early_stopping.restore", fallback: false),
            };
            Check(node, "early_stopping", options.Validate);
            return options;
        }

        /// <summary>A group's <c>plans</c>: names of the sweep's noise plans, each once, in the order <c>noise</c> gives them.</summary>
        public List<(string Name, string[] Specs, YamlNode Node)> PlanSubset(YamlNode node, List<(string Name, string[] Specs, YamlNode Node)> plans)
        {
            string[] names = List(node, "plans", item => Text(item, "plans", ""));
            foreach (string name in names.Where(n => !plans.Any(p => p.Name == n)))
                throw Error(node, "plans", $"names '{name}', which is not a plan of 'noise'; its plans are: {string.Join(", ", plans.Select(p => p.Name))}");
            if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } repeated)
                throw Error(node, "plans", $"names the plan '{repeated.Key}' {repeated.Count()} times; each plan must appear once");
            return [.. plans.Where(p => names.Contains(p.Name))];
        }

        // A plan's name is a part of each run's name, which '|' separates.
        private string PlanName(YamlNode node)
        {
            string name = Text(node, "noise", "");
            return name.Length > 0 && !name.Contains('|') ? name : throw Error(node, "noise", $"plan names must be non-empty and without '|' (they are part of each run's name), not '{DataSetNames.Shorten(name)}'");
        }

        public List<(string Name, string[] Specs, YamlNode Node)> Plans(YamlNode node)
        {
            if (node is not YamlMappingNode mapping || mapping.Children.Count == 0)
                throw Error(node, "noise", "must map plan names to lists of --noise specs (none: [] for the baseline)");
            return [.. mapping.Children.Select(entry => (
                PlanName(entry.Key),
                entry.Value is YamlSequenceNode list ? list.Select(item => Text(item, "noise", "")).ToArray() : throw Error(entry.Value, "noise", "plans must be lists of --noise specs"),
                entry.Value))];
        }
    }
}

/// <summary>A sweep spec is invalid; the message names the file, the line and the key.</summary>
public sealed class SweepSpecException(string message) : Exception(message);
