namespace Advex.Reporting;

using Advex.IO;

/// <summary>PNG line plots (accuracy vs ε, learning curves) with ScottPlot, written atomically. One x axis and one
/// quantity on the y axis per chart; the legend sits outside the data, on the right.</summary>
public static class LinePlot
{
    public sealed record Series(string Name, double[] X, double[] Y);

    /// <param name="integerX">ticks only at whole numbers of x (always for an x axis named "epoch")</param>
    public static void Save(string path, string title, string xLabel, string yLabel, IEnumerable<Series> series,
        double? yMin = null, double? yMax = null, int width = 720, int height = 480, bool integerX = false)
    {
        var plot = new ScottPlot.Plot();
        plot.Font.Set(Fonts.SansFamily);
        var list = series.ToList();
        foreach (var s in list)
        {
            var line = plot.Add.Scatter(s.X, s.Y);
            line.LegendText = s.Name;
            line.MarkerSize = 6;
            line.LineWidth = 2;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (list.Count > 1) plot.ShowLegend(ScottPlot.Edge.Right);
        var limits = plot.Axes.GetLimits();
        var ys = list.SelectMany(s => s.Y).Where(double.IsFinite).ToList();
        if (yMin is not null || yMax is not null) plot.Axes.SetLimitsY(yMin ?? limits.Bottom, yMax ?? limits.Top);
        else if (ys.Count > 0 && ys.Max() - ys.Min() < 1e-12 * Math.Max(1, Math.Abs(ys.Max())))
        {
            // a constant (a learning rate of 0.001) would sit at the middle of a −1…1 axis and read as 0
            var v = ys[0];
            plot.Axes.SetLimitsY(v == 0 ? -1 : Math.Min(0, 2 * v), v == 0 ? 1 : Math.Max(0, 2 * v));
        }
        if (integerX || xLabel == "epoch")
        {
            var xs = list.SelectMany(s => s.X).Where(double.IsFinite).ToList();
            if (xs.Count > 0)
            {
                var (lo, hi) = ((int)Math.Floor(xs.Min()), (int)Math.Ceiling(xs.Max()));
                var step = Math.Max(1, (hi - lo + 1) / 12);
                var ticks = Enumerable.Range(0, (hi - lo) / step + 1).Select(i => (double)(lo + i * step)).ToArray();
                plot.Axes.Bottom.SetTicks(ticks, ticks.Select(t => t.ToString("0", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
                plot.Axes.SetLimitsX(lo - 0.3, hi + 0.3);
            }
        }
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
    }
}
