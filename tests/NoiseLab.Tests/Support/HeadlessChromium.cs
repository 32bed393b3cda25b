using System.Text.Json;

namespace NoiseLab.Tests.Support;

/// <summary>
/// Debian's Chromium, headless, as a reader's browser: loads a page at a given window width and reports what a
/// reader would notice (images that failed to load, a page wider than the window). Tests that need it skip where
/// it is not installed, unless NOISELAB_REQUIRE_CHROMIUM=1 (CI, whose set-up installs it).
/// </summary>
internal static class HeadlessChromium
{
    public const string Program = "/usr/bin/chromium";

    /// <summary>What the page looked like once loaded.</summary>
    /// <param name="Images">How many images it has.</param>
    /// <param name="Broken">The sources of those that did not load.</param>
    /// <param name="ScrollWidth">The page's width, in CSS pixels.</param>
    /// <param name="ClientWidth">The window's width less its scroll bar.</param>
    public sealed record Rendered(int Images, IReadOnlyList<string> Broken, int ScrollWidth, int ClientWidth);

    public static void SkipIfMissing() =>
        Skip.If(!File.Exists(Program) && Environment.GetEnvironmentVariable("NOISELAB_REQUIRE_CHROMIUM") != "1",
            $"{Program} is not installed (scripts/setup.sh installs it).");

    /// <summary>Loads <paramref name="page"/> (a copy beside it carries the measuring script) in a window <paramref name="width"/> pixels wide.</summary>
    public static Rendered Load(string page, int width)
    {
        const string Script = "<script>window.addEventListener('load',()=>{const i=[...document.images];"
            + "document.body.setAttribute('data-check',JSON.stringify({images:i.length,broken:i.filter(x=>!(x.complete&&x.naturalWidth>0)).map(x=>x.getAttribute('src')),"
            + "scrollWidth:document.documentElement.scrollWidth,clientWidth:document.documentElement.clientWidth}))});</script>";
        string probe = Path.Combine(Path.GetDirectoryName(page)!, "browser-check-" + Guid.NewGuid().ToString("N")[..8] + ".html");
        File.WriteAllText(probe, File.ReadAllText(page).Replace("</body>", Script + "</body>", StringComparison.Ordinal));
        try
        {
            var outcome = CliProcess.Start(Program, ["--headless", "--no-sandbox", "--disable-gpu", $"--window-size={width},1000", "--virtual-time-budget=10000", "--dump-dom", probe],
                null, TimeSpan.FromMinutes(2));
            Assert.True(outcome.ExitCode == 0, $"chromium failed: {outcome.StandardError}");
            var check = System.Text.RegularExpressions.Regex.Match(outcome.StandardOutput, "data-check=\"([^\"]*)\"");
            Assert.True(check.Success, "the page's load event never ran: " + outcome.StandardOutput[..Math.Min(300, outcome.StandardOutput.Length)]);
            using JsonDocument json = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(check.Groups[1].Value));
            JsonElement root = json.RootElement;
            return new Rendered(root.GetProperty("images").GetInt32(), [.. root.GetProperty("broken").EnumerateArray().Select(e => e.GetString()!)],
                root.GetProperty("scrollWidth").GetInt32(), root.GetProperty("clientWidth").GetInt32());
        }
        finally
        {
            File.Delete(probe);
        }
    }
}
