namespace NoiseLab.Tests.Support;

/// <summary>The NoiseLab checkout the tests run in, for tests of the repository's own scripts and documents.</summary>
internal static class Checkout
{
    public static string Root { get; } = Find();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(folder.FullName, "NoiseLab.slnx")))
                return folder.FullName;
        }
        throw new InvalidOperationException("The tests are not running inside a NoiseLab checkout.");
    }
}
