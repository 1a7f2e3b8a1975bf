namespace Advex.Reporting.Html;

using System.Globalization;
using System.Net;
using System.Text;

/// <summary>Small helpers to write HTML safely: every piece of text goes through <see cref="Text"/>.</summary>
internal static class Html
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Escapes text for element content and attribute values (&amp; &lt; &gt; " ').</summary>
    public static string Text(string? s) => WebUtility.HtmlEncode(s ?? "");

    public static string Pct(double v) => double.IsFinite(v) ? (v * 100).ToString("0.00", Inv) + "%" : "–";

    public static string Num(double v, string format = "0.###") => double.IsFinite(v) ? v.ToString(format, Inv) : "–";

    public static string Eps(double? e) => e is { } v ? Num(v, "0.####") : "–";

    /// <summary>A table that scrolls sideways on a narrow screen; cells are escaped text.</summary>
    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string? caption = null,
        string? id = null)
    {
        var sb = new StringBuilder();
        // the caption sits above the scrolling box, so that a phone shows it whole
        if (caption != null) sb.Append("<p class=\"caption\">").Append(Text(caption)).Append("</p>");
        sb.Append("<div class=\"scroll\"><table").Append(id is null ? "" : $" id=\"{Text(id)}\"").Append('>');
        sb.Append("<thead><tr>");
        foreach (var h in header) sb.Append("<th>").Append(Text(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var c in row) sb.Append("<td>").Append(Text(c)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table></div>");
        return sb.ToString();
    }

    /// <summary>A figure with a caption; <paramref name="src"/> is a path relative to the page.</summary>
    public static string Figure(string src, string caption) =>
        $"<figure><img src=\"{Text(src.Replace('\\', '/'))}\" alt=\"{Text(caption)}\" loading=\"eager\">" +
        $"<figcaption>{Text(caption)}</figcaption></figure>";

    /// <summary>Figures side by side where the screen is wide enough, one under the other on a phone.</summary>
    public static string Figures(IEnumerable<(string File, string Caption)> figures) =>
        "<div class=\"figs\">" + string.Concat(figures.Select(f => Figure(f.File, f.Caption))) + "</div>";

    public static string NotRun(string what) => $"<p class=\"notrun\">Not run: {Text(what)}</p>";

    public static string Badge(bool ok) => ok ? "<span class=\"badge pass\">pass</span>" : "<span class=\"badge warn\">warn</span>";
}
