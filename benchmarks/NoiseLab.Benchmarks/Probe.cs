using System.Diagnostics;
using System.Runtime.Intrinsics;
using NoiseLab.Randomness;
namespace NoiseLab.Benchmarks;
internal static class Probe
{
    public static void Run()
    {
        const int N = 2_500_000; // vectors of 8 = 2e7 floats
        Vector256<float> x = Vector256.Create(0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f);
        Vector256<float> step = Vector256.Create(1e-8f);
        for (int rep = 0; rep < 3; rep++)
        {
            Time("VectorMath.LogPositive", () => { var acc = Vector256<float>.Zero; var v = x; for (int i = 0; i < N; i++) { acc += VectorMath.LogPositive(v); v += step; } return acc[0]; });
            Time("Vector256.Log", () => { var acc = Vector256<float>.Zero; var v = x; for (int i = 0; i < N; i++) { acc += Vector256.Log(v); v += step; } return acc[0]; });
            Time("VectorMath.SinCosOfTurnWord", () => { var acc = Vector256<float>.Zero; var w = Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7); for (int i = 0; i < N; i++) { var (s, c) = VectorMath.SinCosOfTurnWord(w); acc += s + c; w += Vector256.Create(1717u); } return acc[0]; });
            Time("Vector256.SinCos", () => { var acc = Vector256<float>.Zero; var v = x; for (int i = 0; i < N; i++) { var (s, c) = Vector256.SinCos(v * Vector256.Create(6.2831855f)); acc += s + c; v += step; } return acc[0]; });
            Time("Vector256.Sqrt", () => { var acc = Vector256<float>.Zero; var v = x; for (int i = 0; i < N; i++) { acc += Vector256.Sqrt(v); v += step; } return acc[0]; });
            Time("AES-128 keystream", () => { var keys = AesCounter.Expand(1, 2); var words = new uint[1024]; uint acc = 0; for (int i = 0; i < N / 128; i++) { AesCounter.Keystream(in keys, (uint)i * 256, 0, 0, 0, words); acc += words[0]; } return acc; });
        }
    }
    static void Time(string name, Func<float> f)
    {
        var sw = Stopwatch.StartNew(); float r = f(); sw.Stop();
        Console.WriteLine($"{name,-26} {sw.Elapsed.TotalMilliseconds,8:F1} ms per 2e7 floats ({r})");
    }
}
