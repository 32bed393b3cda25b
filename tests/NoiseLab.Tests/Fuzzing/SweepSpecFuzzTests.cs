using System.Text;
using CsCheck;
using NoiseLab.Experiments;

namespace NoiseLab.Tests.Fuzzing;

/// <summary>Sweep specs damaged every way: they parse or fail with a <see cref="SweepSpecException"/>.</summary>
public sealed class SweepSpecFuzzTests
{
    private static readonly string[] s_valid =
    [
        """
        name: tiny
        data: fashion-mnist
        limit_train: 500
        epochs: 2
        batch_size: 64
        weight_decay: 1.0e-4
        lr_schedule: "restarts:every=4,min=1e-6,final=1e-5"
        clip: [1, 10]
        seeds: [0, 1]
        success_at: 0.8
        models: ["mlp:16", tinycnn]
        optimizers:
          - {optimizer: momentum, lr: 0.05}
          - {optimizer: adam, lr: 0.001}
        noise:
          none: []
          input: ["input:gaussian:sigma=0.1"]
          adaptive: ["adaptive:min_epochs=1,window=2,consecutive=2,cd_min=1,cd_max=1"]
        """,
        """
        name: groups
        seeds: [0, 1, 2]
        groups:
          - data: fashion-mnist
            limit_train: 100
            epochs: 5
            models: [mnistnet1]
            optimizers: [{optimizer: sgd, lr: 0.1}]
          - data: seattle-temp
            epochs: 20
            models: [lstm]
            clip: 1.0
            optimizers: [{optimizer: adam, lr: 0.01}]
        noise:
          none: []
          before: ["perturb:gaussian:sigma=0.01,when=before,scope=layerwise"]
          gradient: ["gradient:annealed:eta=0.01"]
        """,
    ];

    private static readonly byte[][] s_tokens = Mutation.Text("&a ", "*a", "[", "]", "{", "}", ": ", "- ", "? ", "!!binary ", "!!int ", "%YAML 1.1\n", "---\n", "...\n",
        "\t", "\"", "'", "|\n", ">\n", "#", "<<: *a\n", "99999999999999999999", "-1", "2147483648", "1e400", "NaN", ".nan", "~", "null", "  ", "\n",
        "mlp", "sgd", "seeds", "epochs", "models", "noise", "groups", "\n  - ", ",", "\\u0000", "\0", "\uFEFF", "::", "input:", "sigma=", "=", "\u00e9");

    private static readonly Gen<(int Spec, Mutation[] Mutations)> s_inputs = Gen.Select(Gen.Int[0, s_valid.Length - 1], Mutation.Several(s_tokens));

    private static string Text((int Spec, Mutation[] Mutations) input) =>
        Encoding.UTF8.GetString(Mutation.ApplyAll(Encoding.UTF8.GetBytes(s_valid[input.Spec]), input.Mutations));

    [Fact]
    public void The_seed_specs_are_valid()
    {
        Assert.Equal(2 * 2 * 2 * 2 * 3, SweepSpec.Parse(s_valid[0], "tiny.yaml").Runs.Count);
        Assert.Equal(2 * 3 * 3, SweepSpec.Parse(s_valid[1], "groups.yaml").Runs.Count);
    }

    [Fact]
    public void A_damaged_spec_parses_or_fails_with_a_SweepSpecException()
    {
        FuzzCheck.Property<(int Spec, Mutation[] Mutations), SweepSpecException>(s_inputs, input =>
        {
            string text = Text(input);
            try
            {
                SweepSpec.Parse(text, "fuzz.yaml");
            }
            catch (SweepSpecException e) when (!e.Message.StartsWith("fuzz.yaml", StringComparison.Ordinal))
            {
                throw new FuzzFailureException($"The error does not start with the file's name: {e.Message}");
            }
        }, input => Encoding.UTF8.GetByteCount(Text(input)), iterations: 600, print: Text);
    }

    private const string Rest = "\nepochs: 2\nmodels: [mlp]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n";

    public static TheoryData<string, string> Targeted => new()
    {
        // Nesting deep enough to overflow a recursive parser's stack.
        { "seeds: " + new string('[', 100_000) + new string(']', 100_000) + Rest, "fuzz.yaml:1: the spec nests lists and mappings more than 64 levels deep; a sweep spec needs a few." },
        // A billion laughs: each alias repeats the list before it ten times.
        { "a: &a [0,0,0,0,0,0,0,0,0,0]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n",
          "fuzz.yaml:5: the spec's aliases (*name) expand it to more than 100,000 values; write the lists out instead." },
        // A grid of 10^7 runs from short lists.
        { "seeds: &s [0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99]\n"
          + "epochs: 2\nclip: [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100]\n"
          + "models: [mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp,mlp]\n"
          + "optimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: [], a: [], b: [], c: [], d: [], e: [], f: [], g: [], h: [], i: []}\n",
          "fuzz.yaml:1: the sweep's grid has 10,000,000 runs, more than the 10,000 that one sweep may hold; split it into several specs." },
        // Malformed YAML on which YamlDotNet throws InvalidOperationException or ArgumentException instead of YamlException.
        { "seeds: [0]\nmodels: [mlp\\\noptimizers: []\n", "fuzz.yaml:2: not valid YAML (Operation is not valid due to the current state of the object.)." },
        { "seeds: [0]\nmodels: [mlp]*a\n", "fuzz.yaml:3: not valid YAML (The current event is of an unsupported type. (Parameter 'parser'))." },
        // A key that is a list, not a word.
        { "? [epochs]\n: 2\nseeds: [0]" + Rest, "fuzz.yaml:1: keys must be plain words like 'epochs', not a list or a mapping." },
        // A model name of spaces.
        { "seeds: [0]\nepochs: 2\nmodels: ['   ']\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n", "fuzz.yaml:3: 'models' must be a text value." },
        // An epoch count beyond 32 bits.
        { "seeds: [0]\nepochs: 3000000000\nmodels: [mlp]\noptimizers: [{optimizer: sgd, lr: 0.1}]\nnoise: {none: []}\n", "fuzz.yaml:2: 'epochs' must be at most 2147483647, not 3000000000." },
    };

    [Theory]
    [MemberData(nameof(Targeted))]
    public void A_hostile_spec_fails_fast_with_a_clear_error(string yaml, string message)
    {
        var error = FuzzCheck.Expect<SweepSpecException>(() => SweepSpec.Parse(yaml, "fuzz.yaml"), yaml.Length);

        Assert.NotNull(error);
        Assert.Equal(message, error.Message);
    }
}
