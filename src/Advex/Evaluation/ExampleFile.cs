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

    public static List<ExampleRow> Read(string dir)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<ExampleRow>>(File.ReadAllText(path), RecordJson.Line) ?? [];
        }
        catch (JsonException e)
        {
            throw new AdvexException($"{path} is not an examples file ({e.Message})");
        }
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
