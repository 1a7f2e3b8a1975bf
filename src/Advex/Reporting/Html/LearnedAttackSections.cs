namespace Advex.Reporting.Html;

using System.Text;
using Advex.Evaluation;
using static Advex.Reporting.Html.Html;

/// <summary>
/// The sections of attacks that learn one artefact for every input: universal perturbations (<c>universal.json</c>
/// of <c>attack --universal</c>) and adversarial patches (<c>patch.json</c> of <c>attack --patch</c>), each with its
/// image, its budget and its rate on the held-out images.
/// </summary>
internal static class LearnedAttackSections
{
    public static string Universal(IReadOnlyList<Source<UniversalSummary>> runs, IReadOnlyList<Source<string>> figures)
    {
        if (runs.Count == 0) return NotRun("no universal perturbation (attack --universal) among the inputs");
        var sb = new StringBuilder();
        for (var i = 0; i < runs.Count; i++)
        {
            var u = runs[i].Value;
            var method = u.Method == "deepfool" ? "DeepFool (Moosavi-Dezfooli et al. 2017)" : u.Method == "sgd" ? "sgd-UAP (Shafahi et al. 2020)" : u.Method;
            sb.Append($"<h3>{Text(runs[i].Label)}</h3><p>One perturbation v for every image, {Text(method)}, " +
                      $"{Text(ReportCharts.NormLabel(u.Norm))} ε = {Eps(u.Eps)} (‖v‖∞ = {Num(u.Linf, "0.####")}, ‖v‖₂ = {Num(u.L2, "0.###")}), " +
                      $"learned on {u.TrainCount} training images in {u.Passes.Count} passes. On {u.HeldoutCount} held-out images it changes " +
                      $"the prediction of <strong>{Pct(u.FoolingRate)}</strong> (the fooling rate; {Pct(u.TrainFoolingRate)} on the training images); " +
                      $"accuracy {Pct(u.CleanAccuracy)} → {Pct(u.RobustAccuracy)}.</p>");
            sb.Append(Table(["pass", "training fooling rate", "‖v‖∞", "‖v‖₂"],
                u.Passes.Select(p => (IReadOnlyList<string>)[p.Pass.ToString(), Pct(p.TrainFoolingRate), Num(p.Linf, "0.####"), Num(p.L2, "0.###")]),
                id: i == 0 ? "universal-table" : null));
            sb.Append(Figures(Beside(runs[i].Path, figures)));
        }
        return sb.ToString();
    }

    public static string Patch(IReadOnlyList<Source<PatchSummary>> runs, IReadOnlyList<Source<string>> figures)
    {
        if (runs.Count == 0) return NotRun("no adversarial patch (attack --patch) among the inputs");
        var sb = new StringBuilder();
        for (var i = 0; i < runs.Count; i++)
        {
            var p = runs[i].Value;
            var side = p.Shape.Length == 3 ? $"{p.Shape[1]}×{p.Shape[2]} px, " : "";
            sb.Append($"<h3>{Text(runs[i].Label)}</h3><p>A targeted patch for class <strong>{p.Target}</strong> (Brown et al. 2017; " +
                      $"{side}{Num(p.Size, "0.##")} of the image side, trained on {p.TrainCount} images over {p.Epochs.Count} epochs under scale " +
                      $"{Num(p.MinScale, "0.##")}–{Num(p.MaxScale, "0.##")}, rotation ±{Num(p.MaxRotation, "0.#")}° and any location). " +
                      $"Pasted on the {p.Attempted} held-out images of other classes it sends <strong>{Pct(p.SuccessRate)}</strong> to class {p.Target} " +
                      $"(without it {Pct(p.CleanTargetRate)}).</p>");
            sb.Append(Table(["epoch", "loss", "training success rate"],
                p.Epochs.Select(e => (IReadOnlyList<string>)[e.Epoch.ToString(), Num(e.Loss, "0.####"), Pct(e.TrainSuccessRate)]),
                id: i == 0 ? "patch-table" : null));
            sb.Append(Figures(Beside(runs[i].Path, figures)));
        }
        return sb.ToString();
    }

    private static IEnumerable<(string, string)> Beside(string summary, IReadOnlyList<Source<string>> figures) =>
        figures.Where(f => Path.GetDirectoryName(f.Path) == Path.GetDirectoryName(summary)).Select(f => (f.Value, f.Label));
}
