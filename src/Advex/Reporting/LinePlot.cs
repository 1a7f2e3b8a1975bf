namespace Advex.Reporting;

using Advex.IO;

/// <summary>PNG line plots (accuracy vs ε, learning curves) with ScottPlot, written atomically.</summary>
public static class LinePlot
{
    /// <param name="TopAxis">plot against the top x axis (a second x scale, e.g. L2 ε beside L∞ ε)</param>
    public sealed record Series(string Name, double[] X, double[] Y, bool TopAxis = false);

    public static void Save(string path, string title, string xLabel, string yLabel, IEnumerable<Series> series,
        double? yMin = null, double? yMax = null, int width = 720, int height = 480, string? topLabel = null)
    {
        var plot = new ScottPlot.Plot();
        plot.Font.Set(Fonts.SansFamily);
        foreach (var s in series)
        {
            var line = plot.Add.Scatter(s.X, s.Y);
            line.LegendText = s.Name;
            line.MarkerSize = 6;
            line.LineWidth = 2;
            if (s.TopAxis) line.Axes.XAxis = plot.Axes.Top;
        }
        // ScottPlot draws a top-axis label where the title goes: name both axes in the title instead
        plot.Title(topLabel == null ? title : $"top axis: {topLabel} · bottom axis: {xLabel}");
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        if (yMin is not null || yMax is not null)
        {
            var limits = plot.Axes.GetLimits();
            plot.Axes.SetLimitsY(yMin ?? limits.Bottom, yMax ?? limits.Top);
        }
        var bytes = plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, bytes);
    }
}
