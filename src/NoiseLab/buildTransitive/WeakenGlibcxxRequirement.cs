// Marks one GNU symbol-version requirement of an ELF shared library as weak.
//
// TorchSharp 0.107.0's libLibTorchSharp.so needs GLIBCXX_3.4.32 for a single symbol
// (std::ios_base_library_init) that it references but never calls. Debian 12's
// libstdc++ stops at GLIBCXX_3.4.30, so the dynamic loader refuses the whole library.
// A weak version requirement (VER_FLG_WEAK in the Vernaux entry) lets the loader
// accept it; nothing else in the file changes.
//
// This file is compiled twice: by MSBuild's RoslynCodeTaskFactory as the build task
// (see NoiseLab.targets), and into the tests, which define NOISELAB_ELF_TESTS to leave
// the MSBuild task type out.
#nullable enable
using System;
using System.IO;
using System.Text;

namespace NoiseLab.Build
{
    /// <summary>What <see cref="ElfVersionRequirement.MakeWeak"/> found and did.</summary>
    public enum WeakenOutcome
    {
        /// <summary>The requirement was strong and is now weak.</summary>
        Patched,
        /// <summary>The requirement was already weak: the file was not touched.</summary>
        AlreadyWeak,
        /// <summary>The file does not require that version: nothing to do.</summary>
        NotRequired,
        /// <summary>The file is not a 64-bit little-endian ELF file with version requirements.</summary>
        NotApplicable,
    }

    /// <summary>Reads and edits the <c>.gnu.version_r</c> section of a 64-bit little-endian ELF file.</summary>
    public static class ElfVersionRequirement
    {
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlagWeak = 0x2;

        /// <summary>
        /// Marks every requirement on <paramref name="versionName"/> in <paramref name="path"/> weak.
        /// The file is rewritten through a temporary file and a rename, so that a hard link into the
        /// NuGet cache is never edited in place, and its timestamp is kept so that incremental copies
        /// still see it as up to date.
        /// </summary>
        public static WeakenOutcome MakeWeak(string path, string versionName)
        {
            byte[] image = File.ReadAllBytes(path);
            int[] flagOffsets = FindFlagOffsets(image, versionName, out bool applicable);
            if (!applicable)
                return WeakenOutcome.NotApplicable;
            if (flagOffsets.Length == 0)
                return WeakenOutcome.NotRequired;

            bool changed = false;
            foreach (int offset in flagOffsets)
            {
                ushort flags = ReadU16(image, offset);
                if ((flags & VerFlagWeak) != 0)
                    continue;
                WriteU16(image, offset, (ushort)(flags | VerFlagWeak));
                changed = true;
            }
            if (!changed)
                return WeakenOutcome.AlreadyWeak;

            DateTime lastWrite = File.GetLastWriteTimeUtc(path);
            string temporary = path + ".weakening";
            File.WriteAllBytes(temporary, image);
            File.SetLastWriteTimeUtc(temporary, lastWrite);
            File.Replace(temporary, path, null);
            return WeakenOutcome.Patched;
        }

        /// <summary>True when <paramref name="path"/> requires <paramref name="versionName"/> without the weak flag.</summary>
        public static bool HasStrongRequirement(string path, string versionName)
        {
            byte[] image = File.ReadAllBytes(path);
            foreach (int offset in FindFlagOffsets(image, versionName, out _))
            {
                if ((ReadU16(image, offset) & VerFlagWeak) == 0)
                    return true;
            }
            return false;
        }

        /// <summary>File offsets of the vna_flags fields of the Vernaux entries naming <paramref name="versionName"/>.</summary>
        public static int[] FindFlagOffsets(byte[] image, string versionName, out bool applicable)
        {
            applicable = false;
            if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
                return Array.Empty<int>();
            const byte ElfClass64 = 2, ElfDataLittleEndian = 1;
            if (image[4] != ElfClass64 || image[5] != ElfDataLittleEndian)
                return Array.Empty<int>();

            long sectionTable = (long)ReadU64(image, 0x28);
            int entrySize = ReadU16(image, 0x3A);
            int sectionCount = ReadU16(image, 0x3C);
            if (entrySize < 64 || sectionTable <= 0 || sectionTable + (long)entrySize * sectionCount > image.Length)
                return Array.Empty<int>();

            for (int i = 0; i < sectionCount; i++)
            {
                int header = checked((int)(sectionTable + (long)i * entrySize));
                if (ReadU32(image, header + 4) != ShtGnuVerneed)
                    continue;
                applicable = true;
                int offset = checked((int)ReadU64(image, header + 24));
                int stringSection = (int)ReadU32(image, header + 40);
                int needCount = (int)ReadU32(image, header + 44);
                int stringHeader = checked((int)(sectionTable + (long)stringSection * entrySize));
                int strings = checked((int)ReadU64(image, stringHeader + 24));
                return CollectMatches(image, offset, needCount, strings, versionName);
            }
            return Array.Empty<int>();
        }

        private static int[] CollectMatches(byte[] image, int verneed, int needCount, int strings, string versionName)
        {
            var matches = new System.Collections.Generic.List<int>();
            byte[] wanted = Encoding.ASCII.GetBytes(versionName);
            int need = verneed;
            for (int n = 0; n < needCount; n++)
            {
                // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32
                int auxCount = ReadU16(image, need + 2);
                int aux = need + (int)ReadU32(image, need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32
                    int name = strings + (int)ReadU32(image, aux + 8);
                    if (IsCString(image, name, wanted))
                        matches.Add(aux + 4);
                    aux += (int)ReadU32(image, aux + 12);
                }
                int next = (int)ReadU32(image, need + 12);
                if (next == 0)
                    break;
                need += next;
            }
            return matches.ToArray();
        }

        private static bool IsCString(byte[] image, int offset, byte[] wanted)
        {
            if (offset < 0 || offset + wanted.Length >= image.Length || image[offset + wanted.Length] != 0)
                return false;
            for (int i = 0; i < wanted.Length; i++)
            {
                if (image[offset + i] != wanted[i])
                    return false;
            }
            return true;
        }

        // Little-endian field access; the code task factory compiles against netstandard, without BinaryPrimitives.
        private static ushort ReadU16(byte[] b, int at) => (ushort)(b[at] | b[at + 1] << 8);

        private static uint ReadU32(byte[] b, int at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);

        private static ulong ReadU64(byte[] b, int at) => ReadU32(b, at) | (ulong)ReadU32(b, at + 4) << 32;

        private static void WriteU16(byte[] b, int at, ushort value)
        {
            b[at] = (byte)value;
            b[at + 1] = (byte)(value >> 8);
        }
    }

#if !NOISELAB_ELF_TESTS
    /// <summary>MSBuild task: weakens <see cref="Version"/> in each of <see cref="Files"/>.</summary>
    public sealed class WeakenGlibcxxRequirement : Microsoft.Build.Utilities.Task
    {
        /// <summary>The ELF files to patch; files that do not exist are skipped.</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>The version requirement to weaken, e.g. GLIBCXX_3.4.32.</summary>
        [Microsoft.Build.Framework.Required]
        public string Version { get; set; } = "";

        public override bool Execute()
        {
            foreach (var item in Files)
            {
                string path = item.GetMetadata("FullPath");
                if (!File.Exists(path))
                    continue;
                try
                {
                    WeakenOutcome outcome = ElfVersionRequirement.MakeWeak(path, Version);
                    var importance = outcome == WeakenOutcome.Patched
                        ? Microsoft.Build.Framework.MessageImportance.Normal
                        : Microsoft.Build.Framework.MessageImportance.Low;
                    Log.LogMessage(importance, $"NoiseLab: {Version} in {path}: {outcome}.");
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is OverflowException || e is IndexOutOfRangeException)
                {
                    Log.LogError($"NoiseLab could not mark {Version} weak in {path}: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
