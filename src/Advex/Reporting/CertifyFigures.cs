namespace Advex.Reporting;

using Advex.Evaluation.Smoothing;

/// <summary>The figure of a certification: certified accuracy against L2 radius (Cohen et al. 2019, Figure 1's
/// kind), a step curve evaluated at every certified radius.</summary>
public static class CertifyFigures
{
    public static string Write(string dir, CertifyReport report, string fileName)
    {
        var radii = report.Samples.Where(s => s.Correct).Select(s => s.Radius).Append(0)
            .Concat(report.CertifiedAccuracy.Keys.Select(k => double.Parse(k, System.Globalization.CultureInfo.InvariantCulture)))
            .Distinct().Order().ToArray();
        var n = (double)report.Samples.Count;
        // the curve falls just after each radius: plot the value at r and just above it
        var x = new List<double>();
        var y = new List<double>();
        foreach (var r in radii)
        {
            x.Add(r);
            y.Add(report.Samples.Count(s => s.Correct && s.Radius >= r) / n);
            x.Add(r);
            y.Add(report.Samples.Count(s => s.Correct && s.Radius > r) / n);
        }
        var path = Path.Combine(dir, fileName);
        LinePlot.Save(path, $"randomized smoothing σ={report.Sigma:0.###}, n={report.N}, α={report.Alpha} ({report.Samples.Count} samples)",
            "L2 radius", "certified accuracy", [new LinePlot.Series($"σ = {report.Sigma:0.###}", [.. x], [.. y])], 0, 1);
        return path;
    }
}
