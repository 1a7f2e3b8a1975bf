namespace Advex.Reporting.Html;

using Advex.Evaluation;

/// <summary>The report's regenerated charts, written as PNGs beside the page.</summary>
internal static class ReportCharts
{
    /// <summary>
    /// Robust accuracy vs ε of every attack of every evaluation on one chart. Bounded attacks give a point per ε;
    /// minimisation attacks (C&amp;W, DeepFool) are plotted from <c>robust_accuracy_at_eps</c>. L∞ budgets use the
    /// bottom axis; when L2 budgets are present too they use the top axis, labelled so.
    /// </summary>
    public static bool AccuracyVsEps(string path, IReadOnlyList<Source<EvalReport>> evals)
    {
        var series = new List<(string Name, string Norm, double[] X, double[] Y)>();
        foreach (var src in evals)
        {
            var tag = evals.Count > 1 ? $" [{Folder(src.Label)}]" : "";
            foreach (var g in src.Value.Runs.Where(r => r.Eps is not null).GroupBy(r => (r.Attack, r.Norm, r.Targeted)))
            {
                var sorted = g.OrderBy(r => r.Eps).ToList();
                series.Add(($"{g.Key.Attack}{(g.Key.Targeted ? " targeted" : "")} ({g.Key.Norm}){tag}", g.Key.Norm,
                    sorted.Select(r => r.Eps!.Value).ToArray(), sorted.Select(r => r.RobustAccuracy).ToArray()));
            }
            foreach (var r in src.Value.Runs.Where(r => r.RobustAccuracyAtEps is { Count: > 0 }))
            {
                var points = r.RobustAccuracyAtEps!
                    .Select(kv => (Eps: double.Parse(kv.Key, System.Globalization.CultureInfo.InvariantCulture), Acc: kv.Value))
                    .OrderBy(p => p.Eps).ToList();
                series.Add(($"{r.Attack} ({r.Norm}, minimisation){tag}", r.Norm, points.Select(p => p.Eps).ToArray(),
                    points.Select(p => p.Acc).ToArray()));
            }
        }
        if (series.Count == 0) return false;
        var norms = series.Select(s => s.Norm).Distinct().ToList();
        var bottom = norms.Contains("linf") ? "linf" : norms[0];
        var top = norms.FirstOrDefault(n => n != bottom);
        LinePlot.Save(path, "Robust accuracy vs ε (every attack)", $"ε ({NormLabel(bottom)})", "accuracy",
            series.Select(s => new LinePlot.Series(s.Name, s.X, s.Y, s.Norm != bottom)), 0, 1.02, 880, 540,
            top is null ? null : $"ε ({string.Join(", ", norms.Where(n => n != bottom).Select(NormLabel))})");
        return true;
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
        foreach (var (name, take) in groups)
        {
            var keys = curves.Where(take).ToList();
            if (keys.Count == 0 || run.Epochs.Count == 0) continue;
            var file = $"{stem}-{name}.png";
            LinePlot.Save(Path.Combine(dir, file), $"{run.Label}: {name}", "epoch", name,
                keys.Select(k => new LinePlot.Series(k, x, run.Epochs.Select(e => e.GetValueOrDefault(k, double.NaN)).ToArray())));
            written.Add((file, $"{run.Label}: {name} per epoch ({string.Join(", ", keys)})"));
        }
        return written;
    }

    /// <summary>Loss and target probability per iteration of each optimizer (seed 003).</summary>
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
