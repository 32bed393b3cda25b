using System.Globalization;
using System.Runtime.InteropServices;

namespace NoiseLab.Cli;

/// <summary>
/// Makes a <c>--jobs</c> worker stop when the sweep process that started it dies, even by SIGKILL:
/// Linux then sends the worker SIGHUP (<c>prctl(PR_SET_PDEATHSIG)</c>), which stops it after the
/// current step as Ctrl-C would, so that no orphan goes on training and holding its run.
/// </summary>
/// <remarks>
/// The signal is SIGHUP and not SIGTERM because it comes once for every thread of the dying parent
/// that the worker is handed to on the way, and a second SIGTERM means "stop at once"; every SIGHUP
/// here only asks for the stop.
/// </remarks>
internal static partial class ParentWatch
{
    /// <summary>The environment variable through which a sweep gives its workers its process id.</summary>
    public const string ParentVariable = "NOISELAB_SWEEP_PARENT";

    private const int SetParentDeathSignal = 1;
    private const int SigHup = 1;

    /// <summary>The environment a worker of this process starts with.</summary>
    public static void MarkAsParent(System.Diagnostics.ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.Environment[ParentVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// In a worker started by <see cref="MarkAsParent"/>, requests a stop of <paramref name="stop"/> when the
    /// parent dies; dispose the result when the worker ends. Null elsewhere.
    /// </summary>
    public static IDisposable? StopWithParent(StopSignals stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        if (!OperatingSystem.IsLinux() || !int.TryParse(Environment.GetEnvironmentVariable(ParentVariable), CultureInfo.InvariantCulture, out int parent))
            return null;
        const string Reason = "the sweep that started this worker has exited";
        var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            stop.Request(Reason);
        });
        _ = Prctl(SetParentDeathSignal, SigHup, 0, 0, 0);
        // A parent that died before the request took effect has already handed the worker to another process.
        if (GetParentProcessId() != parent)
            stop.Request(Reason);
        return hangUp;
    }

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nint second, nint third, nint fourth, nint fifth);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentProcessId();
}
