using System.Buffers.Binary;
using System.Text;
using NoiseLab.Build;
using NoiseLab.Tests.Support;

namespace NoiseLab.Tests.Build;

public sealed class ElfVersionRequirementTests : IDisposable
{
    private const string Needed = "GLIBCXX_3.4.32";
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// A minimal 64-bit ELF file: a string table and a .gnu.version_r section with one library
    /// (libstdc++.so.6) needing two versions, GLIBCXX_3.4.32 and GLIBCXX_3.4.
    /// </summary>
    private static byte[] MinimalElf(out int flagsOf34_32, out int flagsOf34)
    {
        var image = new byte[64 + 64 + 64 + 3 * 64];
        image[0] = 0x7f; image[1] = (byte)'E'; image[2] = (byte)'L'; image[3] = (byte)'F';
        image[4] = 2; image[5] = 1; image[6] = 1;
        const int strings = 64, verneed = 128, sections = 192;
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(0x28), sections);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x3A), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x3C), 3);

        byte[] table = Encoding.ASCII.GetBytes("\0libstdc++.so.6\0GLIBCXX_3.4.32\0GLIBCXX_3.4\0");
        table.CopyTo(image, strings);
        int library = 1, version3432 = 16, version34 = 31;

        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(verneed), 1);          // vn_version
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(verneed + 2), 2);      // vn_cnt
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(verneed + 4), (uint)library);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(verneed + 8), 16);     // vn_aux
        int aux1 = verneed + 16, aux2 = verneed + 32;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(aux1 + 8), (uint)version3432);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(aux1 + 12), 16);       // vna_next
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(aux2 + 8), (uint)version34);

        // Section 1: .dynstr (SHT_STRTAB); section 2: .gnu.version_r linking to it, one entry.
        int s1 = sections + 64, s2 = sections + 128;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(s1 + 4), 3);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(s1 + 24), strings);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(s1 + 32), (ulong)table.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(s2 + 4), 0x6ffffffe);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(s2 + 24), verneed);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(s2 + 32), 48);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(s2 + 40), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(s2 + 44), 1);

        flagsOf34_32 = aux1 + 4;
        flagsOf34 = aux2 + 4;
        return image;
    }

    [Fact]
    public void Only_the_named_requirement_becomes_weak_and_nothing_else_changes()
    {
        byte[] original = MinimalElf(out int flags3432, out int flags34);
        string path = _folder.File("lib.so");
        File.WriteAllBytes(path, original);
        DateTime stamp = new(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);

        Assert.True(ElfVersionRequirement.HasStrongRequirement(path, Needed));
        Assert.Equal(WeakenOutcome.Patched, ElfVersionRequirement.MakeWeak(path, Needed));

        byte[] patched = File.ReadAllBytes(path);
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(patched.AsSpan(flags3432)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(patched.AsSpan(flags34)));
        Assert.Equal(1, Enumerable.Range(0, original.Length).Count(i => original[i] != patched[i]));
        Assert.False(ElfVersionRequirement.HasStrongRequirement(path, Needed));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void Patching_twice_leaves_the_file_alone_the_second_time()
    {
        string path = _folder.File("lib.so");
        File.WriteAllBytes(path, MinimalElf(out _, out _));
        ElfVersionRequirement.MakeWeak(path, Needed);
        byte[] once = File.ReadAllBytes(path);

        Assert.Equal(WeakenOutcome.AlreadyWeak, ElfVersionRequirement.MakeWeak(path, Needed));
        Assert.Equal(once, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_version_the_file_does_not_need_is_reported_as_such()
    {
        string path = _folder.File("lib.so");
        File.WriteAllBytes(path, MinimalElf(out _, out _));

        Assert.Equal(WeakenOutcome.NotRequired, ElfVersionRequirement.MakeWeak(path, "GLIBCXX_3.4.3"));
    }

    [Fact]
    public void A_file_that_is_not_elf_is_not_touched()
    {
        string path = _folder.File("notes.txt");
        File.WriteAllText(path, "not an ELF file at all, but long enough to have a header's worth of bytes in it.");

        Assert.Equal(WeakenOutcome.NotApplicable, ElfVersionRequirement.MakeWeak(path, Needed));
    }
}
