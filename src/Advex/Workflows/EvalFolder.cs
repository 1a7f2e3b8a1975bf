namespace Advex.Workflows;

using System.Text.Json;
using Advex.Evaluation;
using Advex.IO;

/// <summary>
/// An evaluation folder (<c>--out DIR</c>): <c>run.json</c> (<see cref="RunManifest"/>), <c>samples.jsonl</c>
/// (<see cref="RecordFile"/>), <c>examples.json</c> (<see cref="ExampleFile"/>) and <c>eval.json</c>. The caller
/// holds the folder's <see cref="RunLock"/>.
/// </summary>
public static class EvalFolder
{
    public const string EvalFile = "eval.json";

    /// <summary>The files an evaluation folder owns; no other output may be written over them.</summary>
    public static IReadOnlyList<string> OwnFiles { get; } =
        [RunManifest.FileName, RecordFile.FileName, EvalFile, ExampleFile.FileName, RunLock.FileName];

    /// <summary>Whether <paramref name="dir"/> already holds (part of) an evaluation: any of its own files, even a
    /// link or a broken one.</summary>
    public static bool HoldsEvaluation(string dir) =>
        OwnFiles.Where(f => f != RunLock.FileName).Any(f => FileKinds.Of(Path.Combine(dir, f)) != FileKind.Missing);

    /// <summary>Refuses to write a new evaluation into a folder that holds one (<paramref name="who"/> names the
    /// writer, e.g. <c>merge</c>).</summary>
    public static void RefuseExisting(string dir, string who, string advice)
    {
        if (HoldsEvaluation(dir))
            throw new AdvexException($"{who}: {dir} already holds an evaluation ({advice}); a finished evaluation is never replaced");
    }

    /// <summary>Refuses an evaluation folder whose own files are symbolic links, or whose records file has other
    /// names (hard links): a resume writes them in place, which would change files outside the folder.</summary>
    public static void RefuseLinks(string dir)
    {
        foreach (var name in OwnFiles.Where(f => f != RunLock.FileName))
            if (FileKinds.Of(Path.Combine(dir, name)) == FileKind.SymbolicLink)
                throw new AdvexException($"{Path.Combine(dir, name)} is a symbolic link; an evaluation folder's own files must be " +
                                         "regular files in it (they are rewritten in place)");
        var records = Path.Combine(dir, RecordFile.FileName);
        if (Native.Posix.LinkCount(records) > 1) // appended in place: a hard link's other names would change too
            throw new AdvexException($"{records} has {Native.Posix.LinkCount(records)} hard links; the records are appended in place, " +
                                     "so they must be this folder's own file");
    }

    /// <summary>
    /// Prepares the folder for <paramref name="manifest"/> and returns the records already done. A fresh start
    /// refuses a folder that already holds an evaluation; a resume refuses another configuration or shard, checks
    /// every record (<see cref="RecordFile.Read"/>), drops a torn last line, the records of a sample whose runs were
    /// not all written and those of a sample whose example images were lost (so they are redone), and keeps the rest.
    /// </summary>
    public static List<SampleRecord> Open(string dir, RunManifest manifest, bool resume, int exampleCount)
    {
        var runPath = Path.Combine(dir, RunManifest.FileName);
        var samplesPath = Path.Combine(dir, RecordFile.FileName);
        if (!resume)
        {
            RefuseExisting(dir, "eval", "resume continues it; or choose another folder");
            AtomicFile.WriteAllText(runPath, JsonSerializer.Serialize(manifest, RecordJson.Indented));
            File.WriteAllText(samplesPath, "");
            return [];
        }
        RefuseLinks(dir);
        if (FileKinds.Of(runPath) == FileKind.Missing)
        {
            if (HoldsEvaluation(dir))
                throw new AdvexException($"resume: {dir} holds evaluation files but no {RunManifest.FileName}; cannot tell what made them");
            return Open(dir, manifest, resume: false, exampleCount);
        }
        var old = ReadManifest(dir);
        if (ConfigDifference.Between(old.Configuration, manifest.Configuration) is { } difference)
            throw new AdvexException($"resume: {dir} was made by another evaluation ({difference}); use the same model, data and options, or another folder");
        if (!Equals(old.Shard, manifest.Shard))
            throw new AdvexException($"resume: {dir} holds shard {old.Shard?.ToString() ?? "all"}, not {manifest.Shard?.ToString() ?? "all"}");
        RefuseSpecial(dir, RecordFile.FileName, ExampleFile.FileName);
        var (records, valid) = RecordFile.Read(samplesPath, old.Configuration, old.Shard);
        var runs = manifest.Configuration.Runs.Count;
        var complete = records.GroupBy(r => r.Index).Where(g => g.Count() == runs).SelectMany(g => g).ToList();
        var lost = ExampleFile.Missing(complete, old.Configuration, ExampleFile.Read(dir, Pixels(old.Configuration)), exampleCount);
        complete = complete.Where(r => !lost.Contains(r.Index)).ToList();
        if (complete.Count != records.Count)
            AtomicFile.WriteAllText(samplesPath, RecordFile.Text(complete));
        else if (File.Exists(samplesPath) && valid != new FileInfo(samplesPath).Length)
            RecordFile.Truncate(samplesPath, valid);
        else if (!File.Exists(samplesPath)) File.WriteAllText(samplesPath, "");
        return complete;
    }

    /// <summary>Reads and checks <c>run.json</c> of an evaluation folder.</summary>
    public static RunManifest ReadManifest(string dir)
    {
        var path = Path.Combine(dir, RunManifest.FileName);
        if (FileKinds.Of(path) == FileKind.Missing)
            throw new AdvexException($"{dir} has no {RunManifest.FileName} (not an evaluation folder written with an output folder)");
        RefuseSpecial(dir, RunManifest.FileName);
        RunManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<RunManifest>(JsonFile.ReadText(path, "run manifest"), RecordJson.Line);
        }
        catch (JsonException e)
        {
            throw new AdvexException($"{path} is not a run manifest ({JsonProblem.Describe(e)})");
        }
        if (manifest is null) throw new AdvexException($"{path} is not a run manifest (null)");
        if (ManifestCheck.Problem(manifest) is { } problem) throw new AdvexException($"{path} is not a run manifest ({problem})");
        return manifest;
    }

    /// <summary>The records of a finished or shard folder, checked against its own manifest.</summary>
    public static List<SampleRecord> ReadRecords(string dir, RunManifest manifest)
    {
        RefuseSpecial(dir, RecordFile.FileName);
        return RecordFile.Read(Path.Combine(dir, RecordFile.FileName), manifest.Configuration, manifest.Shard).Records;
    }

    /// <summary>The values of one example image: C·H·W of the model's input.</summary>
    public static long Pixels(RunConfig config) => config.Model.InputShape.Aggregate(1L, (a, d) => a * d);

    public static void Append(string dir, IReadOnlyList<SampleRecord> records) =>
        RecordFile.Append(Path.Combine(dir, RecordFile.FileName), records);

    /// <summary>An evaluation file must be a regular file (or a link to one) when present: a FIFO or a device
    /// would hang or flood the reader.</summary>
    private static void RefuseSpecial(string dir, params string[] names)
    {
        foreach (var name in names)
        {
            var path = Path.Combine(dir, name);
            var kind = FileKinds.Of(path, followLinks: true);
            if (kind is not (FileKind.Missing or FileKind.Regular))
                throw new AdvexException($"{path} is {kind.Describe()}, not a regular file");
        }
    }
}
