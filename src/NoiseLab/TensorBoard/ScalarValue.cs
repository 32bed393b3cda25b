namespace NoiseLab.TensorBoard;

/// <summary>One scalar of a summary: a tag (TensorBoard groups charts by the part before the first '/') and its value.</summary>
/// <param name="Tag">The chart's name, e.g. <c>loss/train</c>.</param>
/// <param name="Value">The value; TensorBoard stores scalars as 32-bit floats.</param>
public readonly record struct ScalarValue(string Tag, float Value);
