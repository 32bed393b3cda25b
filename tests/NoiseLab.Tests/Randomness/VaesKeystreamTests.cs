using System.Runtime.Intrinsics;
using NoiseLab.Randomness;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Randomness;

public sealed class VaesKeystreamTests
{
    private static Vector128<byte>[] Keys(int rounds, Random random) =>
        [.. Enumerable.Range(0, rounds + 1).Select(_ => Vector128.Create((uint)random.NextInt64(), (uint)random.NextInt64(), (uint)random.NextInt64(), (uint)random.NextInt64()).AsByte())];

    [SkippableFact]
    public void Gives_the_words_of_the_128_bit_and_the_software_paths_for_every_length_and_round_count()
    {
        Skip.IfNot(VaesKeystream.IsAvailable, "this CPU or OS runs the keystream without VAES");
        var random = new Random(16);
        foreach (int rounds in (int[])[1, 2, 7, 10])
        {
            Vector128<byte>[] keys = Keys(rounds, random);
            // Lengths below, at and past one 128-word pass, so that both of the code's loops run; counters
            // that end at the top of word 0's range.
            foreach (int length in (int[])[32, 64, 96, 128, 160, 1024, 4096 + 32])
            {
                var counter = Vector128.Create(uint.MaxValue - (uint)(length / 4) + 1, (uint)random.NextInt64(), (uint)random.NextInt64(), (uint)random.NextInt64());
                uint[] wide = new uint[length], narrow = new uint[length], software = new uint[length];

                VaesKeystream.Write(keys, counter, wide);
                RoundKeystream.WriteAesNi(keys, counter, narrow);
                RoundKeystream.WriteSoftware(keys, counter, software);

                Assert.Equal(narrow, wide);
                Assert.Equal(software, wide);
            }
        }
    }

    [SkippableFact]
    public void Gives_Random123s_known_answer_for_ars4x32_at_seven_rounds()
    {
        Skip.IfNot(VaesKeystream.IsAvailable, "this CPU or OS runs the keystream without VAES");
        // tests/old_kat_vectors: ars4x32 7 with counter and key (1, 0, 0, 0) gives 3523162b dc14d20c 79184077 72184193.
        ArsCounter.RoundKeys expanded = ArsCounter.Expand(1, 0, ArsCounter.Rounds);
        Vector128<byte>[] keys = ((ReadOnlySpan<Vector128<byte>>)expanded)[..(ArsCounter.Rounds + 1)].ToArray();
        var words = new uint[16];

        VaesKeystream.Write(keys, Vector128.Create(1u, 0, 0, 0), words);

        Assert.Equal([0x3523162bu, 0xdc14d20cu, 0x79184077u, 0x72184193u], words[..4]);
    }

    [SkippableFact]
    public void Refuses_a_length_that_is_not_whole_registers()
    {
        Skip.IfNot(VaesKeystream.IsAvailable, "this CPU or OS runs the keystream without VAES");

        var error = Assert.Throws<ArgumentException>(() => VaesKeystream.Write(Keys(7, new Random(1)), Vector128<uint>.Zero, new uint[20]));

        Assert.StartsWith("The VAES keystream is written 16 words at a time.", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_noisy_training_run_is_the_same_to_the_last_digit_with_VAES_and_without()
    {
        Skip.IfNot(VaesKeystream.IsAvailable, "this CPU or OS runs the keystream without VAES");
        string[] train = ["train", "--data", "synthetic:adding:length=10,train=512", "--model", "lstm", "--epochs", "2", "--threads", "1", "--json",
            "--noise", "gradient:gaussian:sigma=0.01", "--noise", "weight:gaussian:sigma=0.001"];

        CliProcess.Outcome wide = CliProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "NoiseLab.Cli.dll"), .. train], null, TimeSpan.FromMinutes(3));
        CliProcess.Outcome narrow = CliProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "NoiseLab.Cli.dll"), .. train], null, TimeSpan.FromMinutes(3),
            start => start.Environment[VaesKeystream.SwitchVariable] = "0");

        Assert.Equal(0, wide.ExitCode);
        Assert.Equal(0, narrow.ExitCode);
        Assert.Contains("\"sigmas\":{\"gradient\":0.01,\"weight\":0.001}", wide.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(narrow.StandardOutput, wide.StandardOutput);
    }
}
