namespace Advex.Reporting.Html;

using System.Text;
using Advex.Evaluation;
using static Advex.Reporting.Html.Html;

/// <summary>The sections of the report drawn from evaluation JSON (<c>advex eval --json</c>, <c>attack --out</c>).</summary>
internal static class EvalSections
{
    /// <summary>The first screen: per model, how robust (the worst case over every attack at the largest ε of each
    /// norm), against what, and whether the checks that expose a too-weak evaluation passed.</summary>
    public static string Summary(IReadOnlyList<Source<EvalReport>> evals, (string File, string Caption)? stages = null)
    {
        if (evals.Count == 0) return NotRun("no evaluation JSON among the inputs");
        var primary = Primary(evals);
        var sb = new StringBuilder();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var model in evals.GroupBy(e => ReportCharts.ModelName(e.Value)))
        {
            var main = model.OrderByDescending(e => e.Value.Data.Count).First().Value;
            var warnings = model.SelectMany(e => e.Value.Sanity.Where(c => !c.Ok).Select(c => c.Check)
                .Concat((e.Value.ShardWarnings ?? []).Select(w => $"{w.Check} (a shard)"))).Distinct().ToList();
            var checks = model.Sum(e => e.Value.Sanity.Count);
            var worst = Worst(model);
            if (worst.Count == 0) rows.Add([model.Key, "–", "–", Pct(main.CleanAccuracy), Trust(checks, warnings), "–"]);
            foreach (var (w, count) in worst)
                rows.Add([model.Key, $"{ReportCharts.NormLabel(w.Norm)} ε = {Eps(w.Eps)}", $"{Pct(w.RobustAccuracy)} of {count}",
                    Pct(main.CleanAccuracy), Trust(checks, warnings), string.Join(", ", w.Attacks)]);
        }
        sb.Append(Table(["model", "budget", "robust accuracy (worst case)", "clean accuracy", "sanity checks", "against"], rows,
            "robust accuracy: the share of samples that every attack of one evaluation failed to change, at the largest ε of each norm",
            "summary-table"));
        var pm = Worst(evals.Where(e => ReportCharts.ModelName(e.Value) == ReportCharts.ModelName(primary.Value))).FirstOrDefault().Worst;
        var allWarnings = evals.Sum(s => s.Value.Sanity.Count(c => !c.Ok) + (s.Value.ShardWarnings?.Count ?? 0));
        var attacks = evals.SelectMany(s => s.Value.Runs.Select(r => r.Attack)).Distinct().ToList();
        sb.Append("<div class=\"cards\">");
        Card(sb, "clean-accuracy", $"clean accuracy, {ReportCharts.ModelName(primary.Value)}", Pct(primary.Value.CleanAccuracy),
            $"{primary.Value.Data.Count} {primary.Value.Data.Spec} {primary.Value.Data.Split} samples");
        if (pm != null)
            Card(sb, "worst-case", $"worst-case robust accuracy, ε={Eps(pm.Eps)} ({ReportCharts.NormLabel(pm.Norm)})", Pct(pm.RobustAccuracy),
                string.Join(" + ", pm.Attacks));
        Card(sb, "attack-count", "attacks", attacks.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(", ", attacks));
        Card(sb, "sanity-warnings", "sanity warnings", allWarnings.ToString(System.Globalization.CultureInfo.InvariantCulture),
            allWarnings == 0 ? $"all {evals.Sum(s => s.Value.Sanity.Count)} checks pass"
                : string.Join(", ", evals.SelectMany(s => s.Value.Sanity.Where(c => !c.Ok).Select(c => c.Check)
                    .Concat((s.Value.ShardWarnings ?? []).Select(w => $"{w.Check} (a shard)"))).Distinct()));
        sb.Append("</div>");
        if (stages is { } st) sb.Append(Figure(st.File, st.Caption));
        return sb.ToString();
    }

    /// <summary>Per norm, the worst case at the largest ε over the evaluations given, with their sample count.</summary>
    private static List<(WorstCase Worst, int Count)> Worst(IEnumerable<Source<EvalReport>> evals) =>
        evals.SelectMany(e => e.Value.WorstCase.Where(w => w.Eps is not null).Select(w => (Worst: w, e.Value.Data.Count)))
            .GroupBy(t => t.Worst.Norm)
            .Select(g => g.OrderByDescending(t => t.Worst.Eps).ThenBy(t => t.Worst.RobustAccuracy).First())
            .OrderBy(t => t.Worst.Norm == "linf" ? 0 : 1).ToList();

    private static string Trust(int checks, List<string> warnings) =>
        warnings.Count == 0 ? $"all {checks} pass" : $"{warnings.Count} warn: {string.Join(", ", warnings)}";

    private static void Card(StringBuilder sb, string id, string label, string value, string note) =>
        sb.Append($"<div class=\"card\" id=\"card-{id}\"><div class=\"muted\">{Text(label)}</div>")
            .Append($"<div class=\"value\">{Text(value)}</div><div class=\"muted\">{Text(note)}</div></div>");

    /// <summary>The evaluation with the most samples stands for the model in the summary and per-class table.</summary>
    public static Source<EvalReport> Primary(IReadOnlyList<Source<EvalReport>> evals) =>
        evals.OrderByDescending(s => s.Value.Data.Count).First();

    public static string Metadata(IReadOnlyList<Source<EvalReport>> evals)
    {
        if (evals.Count == 0) return NotRun("no evaluation JSON among the inputs");
        var p = Primary(evals).Value;
        var m = p.Model;
        var sb = new StringBuilder("<dl>");
        void Item(string k, string v) => sb.Append($"<dt>{Text(k)}</dt><dd>{Text(v)}</dd>");
        Item("model", $"{m.Path} ({m.Kind}{(m.Architecture is null ? "" : ", " + m.Architecture)})");
        Item("classes / input", $"{m.Classes} classes, input [{string.Join(",", m.InputShape)}]" +
                                (m.Mean is null ? "" : $", normalization mean {string.Join(",", m.Mean)} std {string.Join(",", m.Std ?? [])}"));
        Item("data", $"{p.Data.Spec} {p.Data.Split}, {p.Data.Count} samples");
        Item("seed", p.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Item("versions", $"Advex {p.Provenance.AdvexVersion}, TorchSharp {p.Provenance.TorchSharpVersion}, libtorch {p.Provenance.LibTorchVersion}");
        Item("machine", $"{p.Provenance.Machine}; {p.Provenance.Threads} torch threads");
        Item("started", p.Provenance.StartedUtc.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        sb.Append("</dl>");
        sb.Append(Table(["source", "model", "data", "samples", "seed", "command", "started (UTC)"],
            evals.Select(s => (IReadOnlyList<string>)
            [
                s.Label, s.Value.Model.Path, $"{s.Value.Data.Spec} {s.Value.Data.Split}", s.Value.Data.Count.ToString(),
                s.Value.Seed.ToString(), s.Value.Provenance.Command,
                s.Value.Provenance.StartedUtc.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
            ]), "every evaluation in this report"));
        return sb.ToString();
    }

    public static string Clean(IReadOnlyList<Source<EvalReport>> evals)
    {
        if (evals.Count == 0) return NotRun("no evaluation JSON among the inputs");
        var primary = Primary(evals);
        var sb = new StringBuilder();
        sb.Append(Table(["source", "samples", "clean accuracy"], evals.Select(s => (IReadOnlyList<string>)
            [s.Label, s.Value.Data.Count.ToString(), Pct(s.Value.CleanAccuracy)]), id: "clean-table"));
        var keys = primary.Value.PerClass.SelectMany(c => c.RobustAccuracy.Keys).Distinct().ToList();
        sb.Append(Table(["class", "name", "samples", "clean", .. keys.Select(k => "robust " + k)],
            primary.Value.PerClass.Select(c => (IReadOnlyList<string>)
            [
                c.Class.ToString(), c.Name, c.Count.ToString(), Pct(c.CleanAccuracy),
                .. keys.Select(k => c.RobustAccuracy.TryGetValue(k, out var v) ? Pct(v) : "–"),
            ]), $"per class, {primary.Label}", "per-class-table"));
        return sb.ToString();
    }

    public static string Robustness(IReadOnlyList<Source<EvalReport>> evals, IReadOnlyList<(string File, string Caption)> charts,
        IReadOnlyList<(string File, string Caption)> stageCharts)
    {
        if (evals.Count == 0) return NotRun("no evaluation JSON among the inputs");
        var sb = new StringBuilder();
        if (charts.Count > 0) sb.Append(Figures(charts));
        else sb.Append(NotRun("no attack with an ε to plot"));
        sb.Append(Table(["attack", "ε", "robust accuracy", "norm", "success rate", "targeted", "mean L2", "median L2", "mean L∞", "max L∞", "samples", "model", "source"],
            evals.SelectMany(s => s.Value.Runs.Select(r => (IReadOnlyList<string>)
            [
                r.Attack, Eps(r.Eps), Pct(r.RobustAccuracy), r.Norm, Pct(r.AttackSuccessRate), r.Targeted ? r.TargetMode ?? "yes" : "no",
                Num(r.MeanL2), Num(r.MedianL2), Num(r.MeanLinf), Num(r.MaxLinf), r.Count.ToString(), ReportCharts.ModelName(s.Value),
                ReportCharts.Folder(s.Label),
            ])), "every run; norms over the samples each attack broke", "robustness-table"));
        var stages = evals.SelectMany(s => s.Value.Runs.Where(r => r.Stages is { Count: > 0 }).SelectMany(r => r.Stages!.Select(st =>
            (IReadOnlyList<string>)
            [
                $"{r.Attack} ε={Eps(r.Eps)}", st.Attack, Pct(st.RobustAccuracy), Num(st.Seconds, "0.0"), Num(st.GradientEvaluationsPerImage, "0.0"),
                Num(st.ForwardPassesPerImage, "0.0"), ReportCharts.ModelName(s.Value),
            ]))).ToList();
        if (stages.Count > 0)
        {
            sb.Append("<h3>AutoAttack, stage by stage</h3>");
            sb.Append(Table(["run", "stage", "robust accuracy after it", "seconds", "gradients / image", "forward passes / image", "model"],
                stages, "each stage attacks only the samples every earlier stage failed on", "stages-table"));
            sb.Append(Figures(stageCharts));
        }
        var atEps = evals.SelectMany(s => s.Value.Runs.Where(r => r.RobustAccuracyAtEps is { Count: > 0 })
            .SelectMany(r => r.RobustAccuracyAtEps!.Select(kv => (IReadOnlyList<string>)
                [r.Attack, kv.Key, Pct(kv.Value), r.Norm, ReportCharts.ModelName(s.Value)]))).ToList();
        if (atEps.Count > 0)
            sb.Append(Table(["attack", "ε", "robust accuracy", "norm", "model"], atEps,
                "minimisation attacks: a sample counts as broken at ε when the attack fooled the model within that norm"));
        return sb.ToString();
    }

    public static string WorstCase(IReadOnlyList<Source<EvalReport>> evals)
    {
        var rows = evals.SelectMany(s => s.Value.WorstCase.Select(w => (IReadOnlyList<string>)
            [ReportCharts.Folder(s.Label), Eps(w.Eps), w.Norm, Pct(w.RobustAccuracy), string.Join(" + ", w.Attacks)])).ToList();
        if (rows.Count == 0) return NotRun("no evaluation with a worst case");
        return "<p>A sample counts as robust only if every attack of the same evaluation failed on it.</p>" +
               Table(["source", "ε", "norm", "worst-case robust accuracy", "attacks"], rows, id: "worst-case-table");
    }

    public static string Timing(IReadOnlyList<Source<EvalReport>> evals)
    {
        if (evals.Count == 0) return NotRun("no evaluation JSON among the inputs");
        return Table(["source", "attack", "ε", "samples", "seconds", "images/s"],
            evals.SelectMany(s => s.Value.Runs.Select(r => (IReadOnlyList<string>)
            [
                ReportCharts.Folder(s.Label), r.Attack, Eps(r.Eps), r.Count.ToString(), Num(r.Seconds, "0.00"),
                Num(r.ImagesPerSecond, "0"),
            ])), $"attack time only; machine: {Primary(evals).Value.Provenance.Machine}", "timing-table");
    }

    public static string Sanity(IReadOnlyList<Source<EvalReport>> evals)
    {
        if (evals.Count == 0) return NotRun("no evaluation JSON among the inputs");
        var sb = new StringBuilder();
        foreach (var s in evals)
        {
            var ok = s.Value.Sanity.Count(c => c.Ok);
            sb.Append($"<h3>{Text(s.Label)}: {ok} pass, {s.Value.Sanity.Count - ok} warn</h3>");
            sb.Append("<div class=\"scroll\"><table class=\"sanity\"><thead><tr><th>result</th><th>check</th><th>detail</th></tr></thead><tbody>");
            foreach (var c in s.Value.Sanity)
                sb.Append("<tr>").Append(Cell("", Badge(c.Ok))).Append(Cell("", Text(c.Check)))
                    .Append(Cell("detail", Text(c.Detail), "detail")).Append("</tr>");
            sb.Append("</tbody></table></div>");
            if (s.Value.ShardWarnings is { Count: > 0 } shards)
                sb.Append(Table(["shard", "check", "detail"], shards.Select(w => (IReadOnlyList<string>)[w.Shard, w.Check, w.Detail]),
                    $"{s.Label}: checks that failed in one shard alone (the merged records pass them)"));
        }
        return sb.ToString();
    }
}
