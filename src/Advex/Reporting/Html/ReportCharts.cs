namespace Advex.Reporting.Html;

using Advex.Evaluation;

/// <summary>The report's regenerated charts, written as PNGs beside the page.</summary>
internal static class ReportCharts
{
    /// <summary>
    /// Robust accuracy vs ε as small multiples: one chart per model and norm (an L2 ε and an L∞ ε are not on one
    /// scale, and two models are two questions). Attacks run at several ε (sweeps, and minimisation attacks scored at
    /// each ε from <c>robust_accuracy_at_eps</c>) are curves; attacks run at one ε only are bars, one chart per ε,
    /// so that equal values do not hide each other as stacked dots.
    /// </summary>
    public static List<(string File, string Caption)> AccuracyVsEps(string dir, IReadOnlyList<Source<EvalReport>> evals)
    {
        var written = new List<(string, string)>();
        var points = new List<(string Model, string Norm, string Series, double Eps, double Acc)>();
        foreach (var src in evals)
        {
            var model = ModelName(src.Value);
            var tag = evals.Count(e => ModelName(e.Value) == model) > 1 ? $" [{Folder(src.Label)}]" : "";
            foreach (var r in src.Value.Runs.Where(r => r.Eps is not null))
                points.Add((model, r.Norm, $"{r.Attack}{(r.Targeted ? " targeted" : "")}{tag}", r.Eps!.Value, r.RobustAccuracy));
            foreach (var r in src.Value.Runs.Where(r => r.RobustAccuracyAtEps is { Count: > 0 }))
                foreach (var kv in r.RobustAccuracyAtEps!)
                    points.Add((model, r.Norm, $"{r.Attack} (minimisation){tag}",
                        double.Parse(kv.Key, System.Globalization.CultureInfo.InvariantCulture), kv.Value));
        }
        var n = 0;
        foreach (var group in points.GroupBy(p => (p.Model, p.Norm)))
        {
            var norm = NormLabel(group.Key.Norm);
            var series = group.GroupBy(p => p.Series).ToList();
            var curves = series.Where(g => g.Select(p => p.Eps).Distinct().Count() > 1).ToList();
            if (curves.Count > 0)
            {
                var file = $"accuracy-vs-eps-{n++}.png";
                LinePlot.Save(Path.Combine(dir, file), $"{group.Key.Model}: robust accuracy vs ε ({norm})", $"ε ({norm})",
                    "robust accuracy", curves.Select(g =>
                    {
                        var sorted = g.OrderBy(p => p.Eps).ToList();
                        return new LinePlot.Series(g.Key, sorted.Select(p => p.Eps).ToArray(), sorted.Select(p => p.Acc).ToArray());
                    }), 0, 1.02, 880, 460);
                written.Add((file, $"Model {group.Key.Model}, {norm}: robust accuracy vs ε of every attack run at several ε"));
            }
            foreach (var atEps in series.Where(g => g.Select(p => p.Eps).Distinct().Count() == 1).GroupBy(g => g.First().Eps))
            {
                var file = $"accuracy-at-eps-{n++}.png";
                var eps = Html.Eps(atEps.Key);
                BarChart.Save(Path.Combine(dir, file), $"{group.Key.Model}: robust accuracy at ε = {eps} ({norm})",
                    "robust accuracy", atEps.Select(g => (g.Key, g.First().Acc)).ToList(), 1, BarChart.Percent, 880);
                written.Add((file, $"Model {group.Key.Model}, {norm}: robust accuracy of each attack run at ε = {eps} only"));
            }
        }
        return written;
    }

    /// <summary>Cascades (AutoAttack): robust accuracy after each stage, one bar chart per run, clean accuracy
    /// first.</summary>
    public static List<(string File, string Caption)> Stages(string dir, IReadOnlyList<Source<EvalReport>> evals)
    {
        var written = new List<(string, string)>();
        var n = 0;
        foreach (var src in evals)
            foreach (var r in src.Value.Runs.Where(r => r.Stages is { Count: > 0 }))
            {
                var file = $"stages-{n++}.png";
                var what = $"{ModelName(src.Value)}: {r.Attack} at ε = {Html.Eps(r.Eps)} ({NormLabel(r.Norm)})";
                BarChart.Save(Path.Combine(dir, file), what, "accuracy",
                    [("clean", src.Value.CleanAccuracy), .. r.Stages!.Select(s => ($"after {s.Attack}", s.RobustAccuracy))],
                    1, BarChart.Percent, 880);
                written.Add((file, $"{what}: accuracy after each stage, on {r.Count} samples"));
            }
        return written;
    }

    /// <summary>The model as the report names it: its path's last two parts (runs/demo/model → demo/model).</summary>
    public static string ModelName(EvalReport report)
    {
        var parts = report.Model.Path.Replace('\\', '/').TrimEnd('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? report.Model.Path : string.Join('/', parts.TakeLast(2));
    }

    /// <summary>Per-epoch curves of one run: a chart of the losses, one of the accuracies, one of anything else.</summary>
    public static List<(string File, string Caption)> Epochs(string dir, string stem, EpochsRun run)
    {
        var written = new List<(string, string)>();
        var x = run.Epochs.Select((e, i) => e.TryGetValue("epoch", out var v) ? v : i + 1).ToArray();
        var curves = run.Keys.Where(k => k is not ("epoch" or "seconds")).ToList();
        var groups = new (string Name, Func<string, bool> Take)[]
        {
            ("loss", k => k.Contains("loss", StringComparison.OrdinalIgnoreCase)),
            ("accuracy", k => k.Contains("acc", StringComparison.OrdinalIgnoreCase)),
            ("other", k => !k.Contains("loss", StringComparison.OrdinalIgnoreCase) && !k.Contains("acc", StringComparison.OrdinalIgnoreCase)),
        };
        if (run.Epochs.Count < 2) return written; // one epoch is one dot: the table shows it
        // losses share an axis, accuracies share one; anything else (a learning rate, an L2 norm, a success
        // fraction) gets its own chart, so that one axis never carries two quantities
        var charts = groups.Take(2).Select(g => (g.Name, Keys: curves.Where(g.Take).ToList()))
            .Concat(curves.Where(groups[2].Take).Select(k => (Name: k, Keys: new List<string> { k })));
        var n = 0;
        foreach (var (name, keys) in charts)
        {
            if (keys.Count == 0) continue;
            var file = $"{stem}-{n++}.png";
            LinePlot.Save(Path.Combine(dir, file), $"{run.Label}: {name}", "epoch", name,
                keys.Select(k => new LinePlot.Series(k, x, run.Epochs.Select(e => e.GetValueOrDefault(k, double.NaN)).ToArray())));
            written.Add((file, $"{run.Label}: {name} per epoch" + (keys.Count > 1 ? $" ({string.Join(", ", keys)})" : "")));
        }
        return written;
    }

    /// <summary>Loss and target probability per iteration of each optimizer (step 003 of the original notes).</summary>
    public static List<(string File, string Caption)> Optimizers(string dir, string stem, Source<OptimizerComparison> src)
    {
        var c = src.Value;
        static double[] Iterations(int n) => Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var loss = $"{stem}-loss.png";
        LinePlot.Save(Path.Combine(dir, loss), $"Targeted attack to class {c.Target}: loss", "iteration",
            "mean cross-entropy to the target", c.Optimizers.Select(o => new LinePlot.Series(o.Name, Iterations(o.Loss.Length), o.Loss)), 0);
        var prob = $"{stem}-target-prob.png";
        LinePlot.Save(Path.Combine(dir, prob), $"Targeted attack to class {c.Target}: target probability", "iteration",
            "mean probability of the target",
            c.Optimizers.Select(o => new LinePlot.Series(o.Name, Iterations(o.TargetProbability.Length), o.TargetProbability)), 0, 1);
        return [(loss, $"{src.Label}: loss per iteration"), (prob, $"{src.Label}: target probability per iteration")];
    }

    public static string NormLabel(string norm) => norm switch { "linf" => "L∞", "l2" => "L2", _ => norm };

    public static string Folder(string label)
    {
        var dir = Path.GetDirectoryName(label)?.Replace('\\', '/');
        return string.IsNullOrEmpty(dir) ? label : dir;
    }
}
