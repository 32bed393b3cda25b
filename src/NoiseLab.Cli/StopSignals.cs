using System.Runtime.InteropServices;

namespace NoiseLab.Cli;

/// <summary>
/// Turns the first Ctrl-C or SIGTERM into a stop request (the current step finishes, the run is marked
/// interrupted and resumes later from its checkpoint); a second one ends the process at once.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;

    public StopSignals()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    /// <summary>Cancelled at the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    private void Handle(PosixSignalContext context)
    {
        if (_stop.IsCancellationRequested)
            return;
        context.Cancel = true;
        Console.Error.WriteLine($"noiselab: {context.Signal} received; stopping after the current step (send it again to stop at once).");
        _stop.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _stop.Dispose();
    }
}
