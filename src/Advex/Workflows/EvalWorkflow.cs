namespace Advex.Workflows;

using System.Globalization;
using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Reporting;

/// <summary>What an evaluation produced: the report (the <c>eval.json</c> schema) and the figures it wrote.</summary>
public sealed record EvalOutcome(EvalReport Report, IReadOnlyList<string> Figures);

/// <summary>Where an evaluation writes: a JSON file, a report folder with figures, and an evaluation folder
/// (<see cref="EvalFolder"/>) that <see cref="Resume"/> continues.</summary>
public sealed record EvalOutputs(string? Json = null, string? ReportDir = null, string? OutDir = null, bool Resume = false);

/// <summary>
/// <c>advex eval</c> as a library call: checks the data and every budget against the model, runs the attacks batch
/// by batch (<see cref="RobustnessEvaluator"/>), appends each batch's records to the evaluation folder when there is
/// one (resuming from the records already there), and computes the report from all records.
/// </summary>
public static class EvalWorkflow
{
    public static EvalOutcome Run(Classifier model, Dataset data, IReadOnlyList<Attack> attacks, EvalOptions options,
        string modelPath, string? json = null, string? reportDir = null, IProgress<JobProgress>? progress = null) =>
        Run(model, data, attacks, options, modelPath, new EvalOutputs(json, reportDir), progress);

    public static EvalOutcome Run(Classifier model, Dataset data, IReadOnlyList<Attack> attacks, EvalOptions options,
        string modelPath, EvalOutputs outputs, IProgress<JobProgress>? progress = null)
    {
        options.Validate();
        model.CheckData(data);
        foreach (var a in attacks) a.CheckBudget(model);
        const string stage = "attack";
        var started = DateTime.UtcNow;
        var plan = BatchPlanner.Plan(model, attacks, options.BatchSize, options.MaxMemory, options.Shard.Indices(data.Count).Length);
        options = options with { BatchSize = plan.BatchSize };
        var manifest = new RunManifest(RunConfig.Of(model, modelPath, data, attacks, options),
            options.Shard.Count == 1 ? null : options.Shard, modelPath, options.Command, VersionInfo.Advex, started)
        {
            BatchSize = plan.BatchSize, BatchPlan = plan,
        };
        if (options.Shard.Indices(data.Count).Length == 0)
            throw new AdvexException($"shard {options.Shard} holds none of the {data.Count} samples: nothing to evaluate");
        var done = outputs.OutDir is null ? [] : EvalFolder.Open(outputs.OutDir, manifest, outputs.Resume, options.ExampleCount);
        var doneIndices = done.Select(r => r.Index).ToHashSet();
        var todo = options.Shard.Indices(data.Count).Where(i => !doneIndices.Contains(i)).ToArray();
        JobProgress.Say(progress, stage, plan.Describe());
        JobProgress.Say(progress, stage, $"evaluating {todo.Length} of {data.Count} {data.Spec} {data.Split} samples" +
            (options.Shard.Count > 1 ? $" (shard {options.Shard})" : "") + (doneIndices.Count > 0 ? $", {doneIndices.Count} already done" : "") + ": " +
            string.Join(", ", attacks.Select(a => a.IsBounded ? $"{a.Name} ε={a.Eps.ToString("0.####", CultureInfo.InvariantCulture)}" : a.Name)));
        // a resumed run adds its examples to those of the earlier process(es); they are saved before the records of
        // their batch, so a kill or a full disk never leaves records whose examples are lost
        var earlier = outputs.OutDir is { } o ? ExampleFile.Read(o, EvalFolder.Pixels(manifest.Configuration)) : [];
        var examples = new List<ExampleRow>();
        var records = new RobustnessEvaluator
        {
            OnProgress = (d, total) => progress?.Report(new JobProgress(stage, d, total)),
            OnExamples = outputs.OutDir is { } ex ? rows => ExampleFile.Write(ex, ExampleFile.Merge([earlier, rows])) : null,
            OnRecords = outputs.OutDir is { } dir ? batch => EvalFolder.Append(dir, batch) : null,
        }.Records(model, data, attacks, options, todo, examples);
        examples = ExampleFile.Merge([earlier, examples]);
        if (outputs.OutDir is { } folder && examples.Count > 0) ExampleFile.Write(folder, examples);
        var report = EvalAggregate.Report(manifest, [.. done, .. records], EvalAggregate.ProvenanceNow(options.Command, started))
            with { Examples = examples };
        return Write(report, outputs, data.ClassNames, model.InputShape);
    }

    /// <summary>
    /// A shard that holds no sample (more shards than samples, e.g. a Slurm array larger than the data) is a valid
    /// shard: it writes an evaluation folder with its <c>run.json</c> and no records, which <c>merge</c> takes like
    /// any other. It has no figures, so it writes no JSON or report. Returns the line to show.
    /// </summary>
    public static string EmptyShard(Classifier model, Dataset data, IReadOnlyList<Attack> attacks, EvalOptions options,
        string modelPath, EvalOutputs outputs)
    {
        options.Validate();
        model.CheckData(data);
        var why = $"shard {options.Shard} holds none of the {data.Count} samples (index mod {options.Shard.Count} = {options.Shard.Index})";
        if (outputs.OutDir is null)
            throw new AdvexException($"{why}: nothing to evaluate; give an output folder to write an empty shard for merge");
        if (outputs.Json is not null || outputs.ReportDir is not null)
            throw new AdvexException($"{why}: it has no figures for a JSON file or a report folder; merge the shard folders and report the merged one");
        var manifest = new RunManifest(RunConfig.Of(model, modelPath, data, attacks, options), options.Shard, modelPath,
            options.Command, VersionInfo.Advex, DateTime.UtcNow);
        EvalFolder.Open(outputs.OutDir, manifest, outputs.Resume, options.ExampleCount);
        return $"{why}: wrote the empty evaluation folder {outputs.OutDir} (merge takes it)";
    }

    /// <summary>Writes eval.json into the evaluation folder, the JSON file and the report folder's figures.</summary>
    internal static EvalOutcome Write(EvalReport report, EvalOutputs outputs, string[] classNames, long[] inputShape)
    {
        if (outputs.OutDir != null) JsonOutput.Write(Path.Combine(outputs.OutDir, EvalFolder.EvalFile), report);
        if (outputs.Json != null) JsonOutput.Write(outputs.Json, report);
        var figures = new List<string>();
        if (outputs.ReportDir != null)
        {
            JsonOutput.Write(Path.Combine(outputs.ReportDir, EvalFolder.EvalFile), report);
            figures.AddRange(EvalFigures.Write(outputs.ReportDir, report, classNames, inputShape));
        }
        return new EvalOutcome(report, figures);
    }
}
