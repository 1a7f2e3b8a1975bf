namespace Advex.Evaluation;

using System.Text.Json;
using Advex.IO;

/// <summary>
/// <c>examples.json</c> of an evaluation folder: the example images (the first dataset indices under every run) that
/// this folder's process evaluated. The records hold no pixels, so a shard, a worker or a resumed run keeps its
/// examples here, and <see cref="Merge"/> puts them back together (per run, by dataset index), so merged and resumed
/// folders draw the same example grid as one uninterrupted run.
/// </summary>
public static class ExampleFile
{
    public const string FileName = "examples.json";

    /// <param name="pixels">the values per image the evaluation's model takes (C·H·W), checked when given</param>
    public static List<ExampleRow> Read(string dir, long? pixels = null)
    {
        var path = Path.Combine(dir, FileName);
        var kind = FileKinds.Of(path, followLinks: true);
        if (kind == FileKind.Missing) return [];
        if (kind != FileKind.Regular) throw new AdvexException($"{path} is {kind.Describe()}, not a regular file");
        List<ExampleRow>? rows;
        try
        {
            rows = JsonSerializer.Deserialize<List<ExampleRow>>(JsonFile.ReadText(path, "examples file"), RecordJson.Line);
        }
        catch (JsonException e)
        {
            throw new AdvexException($"{path} is not an examples file ({JsonProblem.Describe(e)})");
        }
        if (rows is null || rows.Any(r => r is null || r.Attack is null || r.Images is null ||
                                          r.Images.Any(m => m is null || m.Clean is null || m.Adversarial is null ||
                                                            m.Clean.Length != m.Adversarial.Length)))
            throw new AdvexException($"{path} is not an examples file (an incomplete row or image)");
        if (pixels is { } p && rows.SelectMany(r => r.Images).FirstOrDefault(m => m.Clean.Length != p) is { } wrong)
            throw new AdvexException($"{path}: example image {wrong.Index} has {wrong.Clean.Length} values, not the model's {p}");
        return rows;
    }

    /// <summary>The dataset indices among <paramref name="records"/> whose example images <paramref name="rows"/>
    /// lack: every record of the first <paramref name="exampleCount"/> indices has an image under its run
    /// (in a cascade, only the samples the run attacked).</summary>
    public static SortedSet<long> Missing(IEnumerable<SampleRecord> records, RunConfig config,
        IReadOnlyList<ExampleRow> rows, int exampleCount)
    {
        var have = new HashSet<(string, double?, long)>(rows.SelectMany(r => r.Images.Select(m => (r.Attack, r.Eps, (long)m.Index))));
        var missing = new SortedSet<long>();
        foreach (var r in records)
        {
            if (r.Index >= exampleCount || (config.Cascade && !r.Attacked)) continue;
            var spec = config.Runs[r.Run];
            if (!have.Contains((spec.Attack, spec.Eps, r.Index))) missing.Add(r.Index);
        }
        return missing;
    }

    public static void Write(string dir, IReadOnlyList<ExampleRow> rows) =>
        AtomicFile.WriteAllText(Path.Combine(dir, FileName), JsonSerializer.Serialize(rows, RecordJson.Line));

    /// <summary>One row per (attack, ε) in first-seen order, each with the union of its images by dataset index
    /// (the first seen wins), sorted by index.</summary>
    public static List<ExampleRow> Merge(IEnumerable<IReadOnlyList<ExampleRow>> parts)
    {
        var rows = new List<(string Attack, double? Eps, Dictionary<int, ExampleImage> Images)>();
        foreach (var part in parts)
            foreach (var row in part)
            {
                var i = rows.FindIndex(r => r.Attack == row.Attack && r.Eps == row.Eps);
                if (i < 0) rows.Add((row.Attack, row.Eps, new Dictionary<int, ExampleImage>()));
                var images = rows[i < 0 ? ^1 : i].Images;
                foreach (var image in row.Images) images.TryAdd(image.Index, image);
            }
        return rows.Select(r => new ExampleRow(r.Attack, r.Eps, r.Images.Values.OrderBy(m => m.Index).ToList())).ToList();
    }
}
