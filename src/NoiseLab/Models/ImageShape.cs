namespace NoiseLab.Models;

/// <summary>Channels, height and width of an image sample, read from a <see cref="ModelShape"/>.</summary>
internal readonly record struct ImageShape(long Channels, long Height, long Width)
{
    public static ImageShape From(ModelShape shape, string model)
    {
        if (shape.SampleShape.Length != 3)
            throw new ArgumentException($"{model} needs image inputs [channels, height, width]; the data's samples are [{string.Join(", ", shape.SampleShape)}].", nameof(shape));
        return new ImageShape(shape.SampleShape[0], shape.SampleShape[1], shape.SampleShape[2]);
    }
}
