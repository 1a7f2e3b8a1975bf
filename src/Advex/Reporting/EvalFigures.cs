namespace Advex.Reporting;

using Advex.Evaluation;

/// <summary>The figures of an evaluation: accuracy vs ε (every attack on one chart) and example grids.</summary>
public static class EvalFigures
{
    public const string AccuracyPlot = "accuracy_vs_eps.png";
    public const string ExamplesGrid = "examples.png";

    /// <summary>Writes the figures into <paramref name="dir"/>; returns the files written.</summary>
    public static List<string> Write(string dir, EvalReport report, string[] classNames, long[] inputShape)
    {
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        // one chart per norm: an L2 ε and an L∞ ε are not on one scale
        var byNorm = report.Runs.Where(r => r.Eps is not null).GroupBy(r => r.Norm).ToList();
        foreach (var norm in byNorm)
        {
            var series = norm.GroupBy(r => (r.Attack, r.Targeted))
                .Where(g => g.Count() > 1)
                .Select(g =>
                {
                    var sorted = g.OrderBy(r => r.Eps).ToList();
                    return new LinePlot.Series($"{g.Key.Attack}{(g.Key.Targeted ? " (targeted)" : "")}",
                        sorted.Select(r => r.Eps!.Value).ToArray(), sorted.Select(r => r.RobustAccuracy).ToArray());
                }).ToList();
            if (series.Count == 0) continue;
            var label = norm.Key switch { "linf" => "L∞", "l2" => "L2", _ => norm.Key };
            var path = Path.Combine(dir, byNorm.Count == 1 ? AccuracyPlot : $"accuracy_vs_eps_{norm.Key}.png");
            LinePlot.Save(path, $"Accuracy vs ε ({label})", $"ε ({label})", "robust accuracy", series, 0, 1.02);
            written.Add(path);
        }
        if (report.Examples.Count > 0 && report.Examples.Any(e => e.Images.Count > 0))
        {
            string Name(long c) => c >= 0 && c < classNames.Length ? classNames[c] : c.ToString();
            var rows = report.Examples.Select(e => new ImageGrid.Row(
                e.Eps is { } eps ? $"{e.Attack} ε={eps:0.###}" : e.Attack,
                e.Images.Select(i => new ImageGrid.Cell(i.Adversarial,
                    $"{Name(i.TrueLabel)} → {Name(i.AdversarialPrediction)}",
                    i.AdversarialPrediction != i.TrueLabel)).ToList())).ToList();
            var path = Path.Combine(dir, ExamplesGrid);
            ImageGrid.Save(path, rows, (int)inputShape[0], (int)inputShape[1], (int)inputShape[2],
                title: "true → prediction on the adversarial input (red: misclassified)");
            written.Add(path);
        }
        return written;
    }
}
