namespace Advex.Evaluation;

using System.Text.Json;
using System.Text.Json.Nodes;
using Advex.Data;

/// <summary>
/// Compares two evaluation configurations as resume and merge need: field by field, naming the first field that
/// differs with both values. The data is identified like the model, by its fingerprint (<c>data_sha256</c>), its
/// split, count and kind of spec: where the data folder lies is provenance (<c>idx:./d/</c>, <c>idx:/abs/d</c> and a
/// copy of the folder elsewhere are the same data), as the model path is.
/// </summary>
public static class ConfigDifference
{
    /// <summary>The first difference as <c>field: A vs B</c>, or null when the configurations are equal.</summary>
    public static string? Between(RunConfig a, RunConfig b) => First(Comparable(a), Comparable(b), "");

    /// <summary>The same comparison for a certification (randomized smoothing) configuration.</summary>
    public static string? Between(Smoothing.CertifyConfig a, Smoothing.CertifyConfig b) => First(Comparable(a), Comparable(b), "");

    /// <summary>How a data spec is recorded: its kind, and for a folder spec the folder's real path.</summary>
    public static string ResolveSpec(string spec)
    {
        try
        {
            var (entry, argument) = DataSpecRegistry.Find(spec);
            return entry.IsPrefix ? entry.Name + Native.Posix.RealPath(argument) : spec;
        }
        catch (AdvexException)
        {
            return spec;
        }
    }

    /// <summary>The kind of a data spec: <c>idx:</c> for <c>idx:&lt;folder&gt;</c>, the name itself for <c>mnist</c>.</summary>
    public static string SpecKind(string spec)
    {
        try
        {
            var (entry, _) = DataSpecRegistry.Find(spec);
            return entry.Name;
        }
        catch (AdvexException)
        {
            return spec;
        }
    }

    private static JsonNode Comparable<TConfig>(TConfig c) where TConfig : notnull
    {
        var node = JsonSerializer.SerializeToNode(c, RecordJson.Line)!;
        node["data"]!["spec"] = SpecKind(node["data"]!["spec"]!.GetValue<string>());
        return node;
    }

    private static string? First(JsonNode? a, JsonNode? b, string path)
    {
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var (name, va) in oa)
                if (First(va, ob.TryGetPropertyValue(name, out var vb) ? vb : null, Join(path, name)) is { } d) return d;
            foreach (var (name, vb) in ob)
                if (!oa.ContainsKey(name)) return $"{Join(path, name)}: (none) vs {Show(vb)}";
            return null;
        }
        if (a is JsonArray xa && b is JsonArray xb && xa.Count == xb.Count)
        {
            for (var i = 0; i < xa.Count; i++)
                if (First(xa[i], xb[i], $"{path}[{i}]") is { } d) return d;
            return null;
        }
        var (sa, sb) = (a?.ToJsonString() ?? "null", b?.ToJsonString() ?? "null");
        return sa == sb ? null : $"{path}: {Show(a)} vs {Show(b)}";
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Show(JsonNode? n)
    {
        var s = n?.ToJsonString() ?? "null";
        return s.Length <= 60 ? s : s[..57] + "...";
    }
}
