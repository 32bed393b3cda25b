using TorchSharp;
using static TorchSharp.torch;

namespace NoiseLab.Checkpoints;

/// <summary>Saves and restores a TorchSharp generator's state as bytes, so that its stream continues exactly.</summary>
public static class GeneratorState
{
    /// <summary>The generator's state.</summary>
    public static byte[] Capture(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using Tensor state = generator.get_state();
        return state.data<byte>().ToArray();
    }

    /// <summary>Puts <paramref name="generator"/> back into a state from <see cref="Capture"/>.</summary>
    public static void Restore(Generator generator, byte[] state)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(state);
        using Tensor tensor = torch.tensor(state, dtype: ScalarType.Byte);
        generator.set_state(tensor);
    }

    /// <summary>Writes the state, length-prefixed.</summary>
    public static void Write(BinaryWriter writer, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(writer);
        byte[] state = Capture(generator);
        writer.Write(state.Length);
        writer.Write(state);
    }

    /// <summary>Reads a state written by <see cref="Write"/> into <paramref name="generator"/>.</summary>
    public static void Read(BinaryReader reader, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int length = reader.ReadInt32();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"A generator state claims {length} bytes.");
        Restore(generator, reader.ReadBytes(length));
    }
}
