namespace Advex.Workflows;

using Advex.Evaluation;
using Advex.IO;
using Advex.Native;

/// <summary>
/// Refuses, before any work, the outputs of an evaluation that would damage what it reads or writes: a JSON file
/// that is one of the evaluation folder's own files (<c>samples.jsonl</c>, <c>run.json</c>, ...) under any
/// spelling or link, and outputs that are the model or lie inside a model folder (the evaluation's own files would
/// change the model's fingerprint, so the folder could never be resumed, and the model would be overwritten).
/// </summary>
public static class EvalOutputCheck
{
    public static void Check(EvalOutputs outputs, string modelPath)
    {
        var model = Posix.RealPath(modelPath);
        var modelIsFolder = FileKinds.Of(model, followLinks: true) == FileKind.Directory;
        if (outputs.Json is { } json)
        {
            var target = Posix.RealPath(OutputPath.ResolveFile(json, "json"));
            if (outputs.OutDir is { } outDir)
            {
                var folder = Posix.RealPath(outDir);
                foreach (var own in EvalFolder.OwnFiles)
                    if (target == Path.Combine(folder, own))
                        throw AdvexException.About($"json {json} is the evaluation folder's own {own} (in {outDir}); write the JSON elsewhere", "json");
                if (OutputPath.IsInside(target, Path.Combine(folder, EvalWorkers.ShardsFolder)))
                    throw AdvexException.About($"json {json} lies inside {Path.Combine(outDir, EvalWorkers.ShardsFolder)}, the workers' shard folders; write the JSON elsewhere", "json");
            }
            var targetDir = Path.GetDirectoryName(target)!;
            if (EvalFolder.OwnFiles.Contains(Path.GetFileName(target)) && FileKinds.Of(targetDir) == FileKind.Directory &&
                FileKinds.Of(Path.Combine(targetDir, RunManifest.FileName)) != FileKind.Missing)
                throw AdvexException.About($"json {json} is the {Path.GetFileName(target)} of the evaluation folder {targetDir}; " +
                                           "a finished evaluation is never replaced; write the JSON elsewhere", "json");
            if (target == model || (modelIsFolder && OutputPath.IsInside(target, model)))
                throw AdvexException.About($"json {json} would overwrite the model {modelPath} or a file of it; write the JSON elsewhere", "json");
        }
        if (outputs.ReportDir is { } report && (outputs.OutDir is null || Posix.RealPath(report) != Posix.RealPath(outputs.OutDir)) &&
            (FileKinds.Of(Path.Combine(report, RunManifest.FileName)) != FileKind.Missing ||
             FileKinds.Of(Path.Combine(report, RecordFile.FileName)) != FileKind.Missing))
            throw AdvexException.About($"report {report} holds an evaluation folder (its {EvalFolder.EvalFile} would be replaced); " +
                                       "choose another report folder", "report");
        if (!modelIsFolder) return;
        foreach (var (dir, name) in new[] { (outputs.OutDir, "out"), (outputs.ReportDir, "report") })
            if (dir is not null && (Posix.RealPath(dir) == model || OutputPath.IsInside(Posix.RealPath(dir), model)))
                throw AdvexException.About($"{name} {dir} holds the model {modelPath}: the evaluation's files would change the " +
                                           "model's fingerprint (it could never be resumed); choose a folder outside the model", name);
    }
}
