namespace Advex.Cli;

using System.Globalization;
using Advex.Evaluation;
using Advex.Workflows;
using Spectre.Console;

/// <summary>How <c>advex</c> shows each job's result: tables and summary lines from the result records.</summary>
public static class Printers
{
    public static void Print(Ui ui, TrainOutcome outcome)
    {
        var summary = outcome.Summary;
        ui.Line("Per-class test accuracy:");
        var table = new Table().AddColumn("class").AddColumn("name").AddColumn("accuracy");
        foreach (var c in summary.PerClass) table.AddRow(c.Class.ToString(), Markup.Escape(c.Name), $"{c.Accuracy:P2}");
        ui.Write(table);
        ui.Line($"clean test accuracy: {summary.TestAccuracy:P2}");
        if (summary.EarlyStopping is { } es)
            ui.Line($"early stopping: best held-out PGD accuracy {es.Best:P2} at epoch {es.BestEpoch} (kept)" +
                    (es.StoppedEpoch > 0 ? $"; collapsed at epoch {es.StoppedEpoch}, stopped" : ""));
        ui.Line($"model, checkpoint and curves written to {outcome.OutDir}");
    }

    /// <summary>The evaluation table, minimisation radii, worst cases, sanity checks and figures (eval, merge, demo).</summary>
    public static void Print(Ui ui, EvalOutcome outcome)
    {
        var (report, figures) = outcome;
        ui.Line($"clean accuracy: {report.CleanAccuracy:P2} on {report.Data.Count} {report.Data.Spec} {report.Data.Split} samples");
        ui.Line("Robustness:");
        ui.Write(EvalTable.Of(report, ui.Width));
        foreach (var line in EvalTable.Lines(report)) ui.Line(line);
        foreach (var s in report.Sanity)
        {
            if (s.Ok) ui.Line($"ok    {s.Check}: {s.Detail}");
            else ui.Warn($"{s.Check}: {s.Detail}");
        }
        foreach (var w in report.ShardWarnings ?? [])
            ui.Warn($"{w.Check} in shard {w.Shard} alone (the merged records pass it): {w.Detail}");
        foreach (var f in figures) ui.Line($"wrote {f}");
    }

    public static void Print(Ui ui, FeatureOutcome outcome)
    {
        var c = outcome.Comparison;
        var table = new Table().Title($"Feature-space attack, ε = {c.Eps * 255:0.#}/255 (L∞), {c.FeatureDimensions}-d features")
            .AddColumns("optimizer", "lr", "steps", "distance before", "distance after", "reduction", "L∞ ×255");
        foreach (var r in c.Optimizers)
            table.AddRow(r.Name, r.Lr.ToString(CultureInfo.InvariantCulture), r.Steps.ToString(CultureInfo.InvariantCulture),
                $"{r.InitialDistance:F2}", $"{r.FinalDistance:F2}", $"{1 - r.FinalDistance / r.InitialDistance:P1}", $"{r.MaxLinf * 255:F2}");
        ui.Write(table);
        foreach (var f in outcome.Written) ui.Line($"wrote {f}");
    }

    public static void Print(Ui ui, OptimizerOutcome outcome)
    {
        var c = outcome.Comparison;
        ui.Line($"Optimizers, target {c.Target}:");
        var table = new Table().AddColumns("optimizer", "success", "median iterations",
            "final mean loss", "mean L2");
        foreach (var r in c.Optimizers)
            table.AddRow(r.Name, $"{r.SuccessRate:P1}", r.MedianIterations?.ToString("0.#", CultureInfo.InvariantCulture) ?? "never",
                $"{r.FinalLoss:F4}", $"{r.MeanL2:F3}");
        ui.Write(table);
        if (outcome.Fastest is { } best)
            ui.Line($"fastest to the target: {best.Name} (median {best.MedianIterations!.Value.ToString("0.#", CultureInfo.InvariantCulture)} iterations)");
        foreach (var f in outcome.Written) ui.Line($"wrote {f}");
    }

    public static void Print(Ui ui, TextTrainingSummary summary, string outDir)
    {
        ui.Line($"TextCnn, adv {summary.Options.Adv}, over {summary.Runs.Count} seed(s):");
        var table = new Table()
            .AddColumn("figure").AddColumn("mean").AddColumn("sd");
        table.AddRow("clean test accuracy", $"{summary.TestAccuracy:P2}", $"{summary.TestAccuracySd:P2}");
        foreach (var r in summary.RobustByEps)
            table.AddRow($"embedding-PGD accuracy (L2 {r.Eps} per sentence)", $"{r.Accuracy:P2}", $"{r.Sd:P2}");
        table.AddRow("val accuracy", $"{summary.ValAccuracy:P2}", $"{summary.ValAccuracySd:P2}");
        ui.Write(table);
        ui.Line($"curves and JSON written to {Path.GetFullPath(outDir)}");
    }

    public static void Print(Ui ui, GanJob job, GanSummary summary) =>
        ui.Line($"training time {summary.TrainingSeconds:F0}s (all epochs); generator, checkpoint, grids and curves in {Path.GetFullPath(job.OutDir)}");

    public static void Print(Ui ui, AdvGanJob job, AdvGanSummary summary) =>
        ui.Line($"training time {summary.TrainingSeconds:F0}s; generator in {Path.GetFullPath(job.OutDir)} " +
                $"(evaluate with: advex eval --model {job.Target} --attack advgan --generator {job.OutDir})");

    public static void Print(Ui ui, ReportOutcome outcome)
    {
        foreach (var problem in outcome.Unusable) ui.Err.WriteLine($"warning: --from {problem}");
        ui.Line($"report inputs: {outcome.Evaluations} evaluation(s), {outcome.OptimizerComparisons} optimizer comparison(s), " +
                $"{outcome.Trainings} per-epoch run(s), {outcome.LearnedAttacks} universal perturbation(s) or patch(es), {outcome.Figures} figure(s)");
        ui.Line($"report: {outcome.Index}");
    }
}
