namespace Advex.Workflows;

using System.Globalization;
using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Reporting;

/// <summary>What an evaluation produced: the report (the <c>eval.json</c> schema) and the figures it wrote.</summary>
public sealed record EvalOutcome(EvalReport Report, IReadOnlyList<string> Figures);

/// <summary>
/// <c>advex eval</c> as a library call: checks the data and every budget against the model, runs the attacks
/// (<see cref="RobustnessEvaluator"/>), writes the JSON and, into a report folder, <c>eval.json</c> with its plots
/// and example grids.
/// </summary>
public static class EvalWorkflow
{
    public static EvalOutcome Run(Classifier model, Dataset data, IReadOnlyList<Attack> attacks, EvalOptions options,
        string modelPath, string? json = null, string? reportDir = null, IProgress<JobProgress>? progress = null)
    {
        model.CheckData(data);
        foreach (var a in attacks) a.CheckBudget(model);
        const string stage = "attack";
        JobProgress.Say(progress, stage, $"evaluating {data.Count} {data.Spec} {data.Split} samples: " +
            string.Join(", ", attacks.Select(a => a.IsBounded ? $"{a.Name} ε={a.Eps.ToString("0.####", CultureInfo.InvariantCulture)}" : a.Name)));
        var report = new RobustnessEvaluator
        {
            OnProgress = (r, runs, done, total) => progress?.Report(new JobProgress(stage, r * total + done, runs * total)),
        }.Evaluate(model, data, attacks, options, modelPath);
        if (json != null) JsonOutput.Write(json, report);
        var figures = new List<string>();
        if (reportDir != null)
        {
            JsonOutput.Write(Path.Combine(reportDir, "eval.json"), report);
            figures.AddRange(EvalFigures.Write(reportDir, report, data.ClassNames, model.InputShape));
        }
        return new EvalOutcome(report, figures);
    }
}
