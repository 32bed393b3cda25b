namespace NoiseLab.Cli;

/// <summary>What <c>noiselab</c>'s exit status means.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Something failed inside training (e.g. the loss diverged) or NoiseLab itself.</summary>
    public const int Failure = 1;

    /// <summary>Bad usage or bad input: an unknown option or model, an out-of-range value, missing or corrupt data.</summary>
    public const int BadInput = 2;

    /// <summary>Stopped by Ctrl-C or SIGTERM after the current step; interrupted runs resume from their last checkpoint.</summary>
    public const int Interrupted = 130;
}
