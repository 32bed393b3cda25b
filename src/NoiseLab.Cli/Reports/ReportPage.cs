using System.Net;
using Markdig;

namespace NoiseLab.Cli.Reports;

/// <summary>
/// The report's HTML page: its Markdown rendered by Markdig (pipe tables, raw HTML for the per-run
/// <c>&lt;details&gt;</c>), with styles that keep it readable on a narrow screen: wide tables scroll inside
/// their own box and images shrink to the page, so the page itself never scrolls sideways.
/// </summary>
internal static class ReportPage
{
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    private const string Styles =
        "body{font-family:sans-serif;line-height:1.45;max-width:75em;margin:0 auto;padding:0 1em;overflow-wrap:anywhere}"
        + "table{border-collapse:collapse;margin:1em 0;display:block;max-width:100%;overflow-x:auto}"
        + "td,th{border:1px solid #ccc;padding:4px 8px;white-space:nowrap}th{background:#f4f4f4}"
        + "img{max-width:100%;height:auto}pre{max-width:100%;overflow-x:auto;background:#f8f8f8;padding:.5em}"
        + "details{margin:.3em 0}summary{cursor:pointer}code{overflow-wrap:anywhere}";

    /// <summary>A whole HTML page titled <paramref name="title"/> whose body is <paramref name="markdown"/> rendered.</summary>
    public static string Html(string title, string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
            + WebUtility.HtmlEncode(title) + "</title><style>" + Styles + "</style></head><body>\n"
            + Markdown.ToHtml(markdown, s_pipeline) + "</body></html>\n";
    }
}
