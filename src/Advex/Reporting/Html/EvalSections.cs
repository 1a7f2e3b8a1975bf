namespace Advex.Reporting.Html;

using System.Text;
using Advex.Evaluation;
using static Advex.Reporting.Html.Html;

/// <summary>The sections of the report drawn from evaluation JSON (<c>advex eval --json</c>, <c>attack --out</c>).</summary>
internal static class EvalSections
{
    public static string Summary(IReadOnlyList<Source<EvalReport>> evals)
    {
        if (evals.Count == 0) return NotRun("no evaluation JSON among the inputs");
        var primary = Primary(evals);
        var worst = evals.SelectMany(s => s.Value.WorstCase.Where(w => w.Norm == "linf" && w.Eps is not null))
            .OrderByDescending(w => w.Eps).ThenBy(w => w.RobustAccuracy).FirstOrDefault();
        var warnings = evals.Sum(s => s.Value.Sanity.Count(c => !c.Ok));
        var attacks = evals.SelectMany(s => s.Value.Runs.Select(r => r.Attack)).Distinct().ToList();
        var sb = new StringBuilder("<div class=\"cards\">");
        Card(sb, "clean-accuracy", "clean accuracy", Pct(primary.Value.CleanAccuracy), $"{primary.Value.Data.Count} samples");
        if (worst != null)
            Card(sb, "worst-case", $"worst-case robust accuracy, ε={Eps(worst.Eps)} (L∞)", Pct(worst.RobustAccuracy),
                string.Join(" + ", worst.Attacks));
        Card(sb, "attack-count", "attacks", attacks.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(", ", attacks));
        Card(sb, "sanity-warnings", "sanity warnings", warnings.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{evals.Sum(s => s.Value.Sanity.Count)} checks");
        return sb.Append("</div>").ToString();
    }

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

    public static string Robustness(IReadOnlyList<Source<EvalReport>> evals, string? chart)
    {
        if (evals.Count == 0) return NotRun("no evaluation JSON among the inputs");
        var sb = new StringBuilder();
        if (chart != null) sb.Append(Figure(chart, "Robust accuracy vs ε: every attack on one chart (minimisation attacks scored at each ε by their perturbation norm)"));
        else sb.Append(NotRun("no attack with an ε to plot"));
        sb.Append(Table(["source", "attack", "norm", "ε", "targeted", "robust accuracy", "success rate", "mean L2", "median L2", "mean L∞", "max L∞", "samples"],
            evals.SelectMany(s => s.Value.Runs.Select(r => (IReadOnlyList<string>)
            [
                ReportCharts.Folder(s.Label), r.Attack, r.Norm, Eps(r.Eps), r.Targeted ? r.TargetMode ?? "yes" : "no",
                Pct(r.RobustAccuracy), Pct(r.AttackSuccessRate), Num(r.MeanL2), Num(r.MedianL2), Num(r.MeanLinf), Num(r.MaxLinf),
                r.Count.ToString(),
            ])), "every run; norms over the samples each attack broke", "robustness-table"));
        var atEps = evals.SelectMany(s => s.Value.Runs.Where(r => r.RobustAccuracyAtEps is { Count: > 0 })
            .SelectMany(r => r.RobustAccuracyAtEps!.Select(kv => (IReadOnlyList<string>)
                [ReportCharts.Folder(s.Label), r.Attack, r.Norm, kv.Key, Pct(kv.Value)]))).ToList();
        if (atEps.Count > 0)
            sb.Append(Table(["source", "attack", "norm", "ε", "robust accuracy"], atEps,
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
            sb.Append("<div class=\"scroll\"><table class=\"sanity\"><thead><tr><th></th><th>check</th><th>detail</th></tr></thead><tbody>");
            foreach (var c in s.Value.Sanity)
                sb.Append($"<tr><td>{Badge(c.Ok)}</td><td>{Text(c.Check)}</td><td class=\"detail\">{Text(c.Detail)}</td></tr>");
            sb.Append("</tbody></table></div>");
        }
        return sb.ToString();
    }
}
