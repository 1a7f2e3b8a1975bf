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

    /// <summary>A table; cells are escaped text. Each cell carries its column's name (<c>data-label</c>), so that on a
    /// narrow screen the style sheet lays every row out as a block of "name: value" lines instead of scrolling sideways.</summary>
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
            for (var i = 0; i < row.Count; i++)
                sb.Append(Cell(i < header.Count ? header[i] : "", Text(row[i]), Wrap(row[i])));
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table></div>");
        return sb.ToString();
    }

    /// <summary>How a cell may wrap so that the table fits its column: a path anywhere, a short figure ("L∞ ε = 0.3",
    /// "0.00% of 40") never, other text between words.</summary>
    private static string? Wrap(string text) =>
        text.IndexOfAny(['/', '\\']) >= 0 ? "path" : text.Length <= 16 ? "nb" : null;

    /// <summary>One cell: <paramref name="html"/> is markup already escaped; the label is the column's name.</summary>
    public static string Cell(string label, string html, string? cssClass = null) =>
        $"<td data-label=\"{Text(label)}\"{(cssClass is null ? "" : $" class=\"{cssClass}\"")}>{html}</td>";

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
