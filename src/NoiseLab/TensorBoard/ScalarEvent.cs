namespace NoiseLab.TensorBoard;

/// <summary>One scalar read back from an event file, with the step and time of the event that carried it.</summary>
/// <param name="Tag">The chart's name, e.g. <c>loss/train</c>.</param>
/// <param name="Step">The event's step (an epoch, for <see cref="TensorBoardLogger"/>).</param>
/// <param name="Value">The value, as stored: a 32-bit float.</param>
/// <param name="WallTime">When the event was written, in seconds since 1970-01-01 UTC.</param>
public sealed record ScalarEvent(string Tag, long Step, float Value, double WallTime);
