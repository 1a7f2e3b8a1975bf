namespace Advex.Reporting;

using System.Globalization;
using Advex.IO;

/// <summary>PNG horizontal bar charts (robust accuracy of several attacks at one ε, robust accuracy after each stage of
/// a cascade), one bar per label, the value written at the end of each bar, written atomically.</summary>
public static class BarChart
{
    /// <param name="format">how each value is written beside its bar</param>
    public static void Save(string path, string title, string valueLabel, IReadOnlyList<(string Label, double Value)> bars,
        double max, Func<double, string> format, int width = 720)
    {
        var plot = new ScottPlot.Plot();
        plot.Font.Set(Fonts.SansFamily);
        // first bar at the top
        var positions = bars.Select((_, i) => (double)(bars.Count - 1 - i)).ToArray();
        var plotted = plot.Add.Bars(positions, bars.Select(b => b.Value).ToArray());
        plotted.Horizontal = true;
        foreach (var bar in plotted.Bars) bar.Size = 0.6;
        for (var i = 0; i < bars.Count; i++)
        {
            var text = plot.Add.Text(format(bars[i].Value), bars[i].Value + max * 0.01, positions[i]);
            text.LabelAlignment = ScottPlot.Alignment.MiddleLeft;
            text.LabelFontSize = 13;
        }
        plot.Axes.Left.SetTicks(positions, bars.Select(b => b.Label).ToArray());
        plot.Axes.SetLimitsX(0, max * 1.15);
        plot.Axes.SetLimitsY(-0.6, bars.Count - 0.4);
        plot.Title(title);
        plot.XLabel(valueLabel);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, 90 + 42 * Math.Max(2, bars.Count), ScottPlot.ImageFormat.Png));
    }

    public static string Percent(double v) => (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
