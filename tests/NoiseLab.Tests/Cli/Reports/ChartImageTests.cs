using NoiseLab.Cli.Reports;
using NoiseLab.Tests.Support;
using SkiaSharp;

namespace NoiseLab.Tests.Cli.Reports;

public sealed class ChartImageTests
{
    private static readonly Chart s_chart = new("learning curves", "fashion-mnist|mlp:8|momentum:0.05|clip=none",
    [
        new ChartPanel("validation accuracy", [new Curve("none", 0, [new EpochBand(1, 0.5, 0.1, 2), new EpochBand(2, 0.7, 0.05, 2)])]),
        new ChartPanel("training loss", [new Curve("none", 0, [new EpochBand(1, 2.0, 0.2, 2), new EpochBand(2, 1.5, 0.1, 2)])]),
        new ChartPanel("σ, plan adaptive", [new Curve("adaptive next σ", 0, [new EpochBand(1, 0, 0, 2), new EpochBand(2, 0.03, 0.01, 2)], Dashed: true)])
        {
            Triggers = [new TriggerMarks("adaptive stuck", TriggerKind.Stuck, [new TriggerMark(2, 0.03, 2)])],
            FromZero = true,
        },
    ]);

    [Fact]
    public void A_chart_is_a_valid_png_1000_pixels_wide_and_320_high_per_panel()
    {
        PngFile png = PngFile.Read(ChartImage.Png(s_chart));

        Assert.Equal((1000, 960), (png.Width, png.Height));
        Assert.Equal((1000, 960), ChartImage.SizeOf(s_chart));
        Assert.Equal("IHDR", png.Chunks[0]);
        Assert.Contains("IDAT", png.Chunks);
    }

    [Fact]
    public void The_png_reader_checks_crcs_with_the_standard_crc32()
    {
        byte[] png = ChartImage.Png(s_chart);
        png[40] ^= 0xFF;   // the last letter of the type of the chunk after IHDR (8 bytes of signature + 25 of IHDR)

        Assert.Equal(0xCBF43926u, PngFile.Crc32("123456789"u8));   // CRC-32's published check value
        Assert.Throws<InvalidDataException>(() => PngFile.Read(png));
    }

    [Fact]
    public void The_title_is_drawn_in_an_installed_font()
    {
        // Skia draws no text at all when /usr/share/fonts holds no font; .ci/run installs fonts-dejavu-core.
        Assert.True(ChartFont.Family is not null, ChartFont.MissingWarning);
        using SKBitmap image = SKBitmap.Decode(ChartImage.Png(s_chart));

        // The title stands alone in the top 30 rows, above the first panel's frame: count its dark pixels.
        int dark = 0;
        for (int y = 0; y < 30; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                SKColor pixel = image.GetPixel(x, y);
                if (pixel.Red + pixel.Green + pixel.Blue < 3 * 128)
                    dark++;
            }
        }

        Assert.InRange(dark, 200, 30 * image.Width / 4);
    }
}
