namespace Advex.Reporting.Html;

using System.Text;
using Advex.Evaluation;
using static Advex.Reporting.Html.Html;

/// <summary>The sections drawn from optimizer comparisons, per-epoch JSON and figures.</summary>
internal static class RunSections
{
    public static string Optimizers(IReadOnlyList<Source<OptimizerComparison>> runs,
        IReadOnlyList<List<(string File, string Caption)>> charts, IReadOnlyList<Source<FeatureComparison>> features,
        IReadOnlyList<Source<string>> featureFigures)
    {
        if (runs.Count == 0 && features.Count == 0) return NotRun("no optimizer comparison (advex optimizers --json) among the inputs");
        var sb = new StringBuilder();
        foreach (var f in features)
        {
            var c = f.Value;
            sb.Append($"<h3>{Text(f.Label)}</h3><p>Feature-space attack (Sabour et al. 2016) on {Text(Path.GetFileName(c.FeatureModel))}: " +
                      $"{Text(c.SourceFile ?? $"sample {c.Source}")} moved toward the {c.FeatureDimensions}-d features of " +
                      $"{Text(c.GuideFile ?? $"sample {c.Guide}")}, ε = {Num(c.Eps * 255, "0.#")}/255 (L∞).</p>");
            sb.Append(Table(["optimizer", "lr", "steps", "distance before", "distance after", "reduction", "L∞ ×255"],
                c.Optimizers.Select(o => (IReadOnlyList<string>)
                [
                    o.Name, Num(o.Lr, "0.#####"), o.Steps.ToString(), Num(o.InitialDistance, "0.00"), Num(o.FinalDistance, "0.00"),
                    Pct(1 - o.FinalDistance / o.InitialDistance), Num(o.MaxLinf * 255, "0.00"),
                ]), id: "features-table"));
            foreach (var fig in featureFigures.Where(x => Path.GetDirectoryName(x.Path) == Path.GetDirectoryName(f.Path)))
                sb.Append(Figure(fig.Value, fig.Label));
        }
        for (var i = 0; i < runs.Count; i++)
        {
            var c = runs[i].Value;
            sb.Append($"<h3>{Text(runs[i].Label)}</h3><p>Targeted attack to class {c.Target} on {c.Samples} samples" +
                      $"{(c.Skipped > 0 ? $" ({c.Skipped} already of that class skipped)" : "")}, " +
                      $"{(c.Eps is { } e ? $"ε = {Num(e)} ({Text(ReportCharts.NormLabel(c.Norm))})" : "unbounded (box only)")}.</p>");
            sb.Append(Table(["optimizer", "lr", "steps", "success rate", "median iterations", "final mean loss", "mean L2"],
                c.Optimizers.Select(o => (IReadOnlyList<string>)
                [
                    o.Name, Num(o.Lr, "0.#####"), o.Steps.ToString(), Pct(o.SuccessRate),
                    o.MedianIterations is { } m ? Num(m, "0.#") : "never", Num(o.FinalLoss, "0.0000"), Num(o.MeanL2),
                ]), id: i == 0 ? "optimizers-table" : null));
            foreach (var (file, caption) in charts[i]) sb.Append(Figure(file, caption));
        }
        return sb.ToString();
    }

    public static string Epochs(IReadOnlyList<EpochsRun> runs, IReadOnlyList<List<(string File, string Caption)>> charts,
        IReadOnlyList<Source<string>> figures, string what)
    {
        if (runs.Count == 0 && figures.Count == 0) return NotRun(what);
        var sb = new StringBuilder();
        for (var i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            sb.Append($"<h3>{Text(r.Label)}</h3>");
            if (r.TestAccuracy is { } t) sb.Append($"<p>Final test accuracy: <strong>{Pct(t)}</strong></p>");
            sb.Append(Table(r.Keys.Where(k => k != "epoch").Prepend("epoch").ToList(),
                r.Epochs.Select((e, n) => (IReadOnlyList<string>)
                [
                    Num(e.TryGetValue("epoch", out var ep) ? ep : n + 1, "0"),
                    .. r.Keys.Where(k => k != "epoch").Select(k => e.TryGetValue(k, out var v) ? Format(k, v) : "–"),
                ])));
            foreach (var (file, caption) in charts[i]) sb.Append(Figure(file, caption));
        }
        foreach (var f in figures) sb.Append(Figure(f.Value, f.Label));
        return sb.ToString();
    }

    private static string Format(string key, double v) =>
        key.Contains("acc", StringComparison.OrdinalIgnoreCase) ? Pct(v) : Num(v, Math.Abs(v) < 0.01 ? "0.####E+0" : "0.####");

    public static string Examples(IReadOnlyList<Source<string>> figures) =>
        figures.Count == 0
            ? NotRun("no example grid (examples.png from eval --report, adversarial_grid.png from attack --out) among the inputs")
            : string.Concat(figures.Select(f => Figure(f.Value, f.Label)));
}
