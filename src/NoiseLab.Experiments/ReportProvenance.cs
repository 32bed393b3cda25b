namespace NoiseLab.Experiments;

/// <summary>Where a report's numbers come from besides the store (which names the noise generator): the tool, the spec, when and where it was made.</summary>
/// <param name="Version">NoiseLab's version.</param>
/// <param name="Spec">The sweep's spec, as stored.</param>
/// <param name="Created">When the report was made.</param>
/// <param name="Machine">The machine that made the report: cores, processor and operating system.</param>
public sealed record ReportProvenance(string Version, string Spec, DateTimeOffset Created, string Machine)
{
    /// <summary>This process's NoiseLab version (the assembly's informational version, without the commit suffix).</summary>
    public static string CurrentVersion { get; } =
        (typeof(ReportProvenance).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown").Split('+')[0];

    /// <summary>This machine: its cores and operating system.</summary>
    public static string CurrentMachine { get; } =
        $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}";
}
