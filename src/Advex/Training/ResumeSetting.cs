namespace Advex.Training;

using System.Globalization;
using System.Text.Json;

/// <summary>A setting that a resumed run must share with its checkpoint: its name, the value the checkpoint was made
/// with and the value asked for now.</summary>
public readonly record struct ResumeSetting(string Name, string Saved, string Asked)
{
    public bool Differs => Saved != Asked;

    public static ResumeSetting Of<T>(string name, T saved, T asked) => new(name, Text(saved), Text(asked));

    /// <summary>One setting per property of two JSON objects (e.g. serialized options records).</summary>
    public static IEnumerable<ResumeSetting> FromJson(string savedJson, string askedJson)
    {
        var saved = Properties(savedJson);
        var asked = Properties(askedJson);
        return saved.Keys.Union(asked.Keys).Select(name =>
            new ResumeSetting(name, saved.GetValueOrDefault(name, "(none)"), asked.GetValueOrDefault(name, "(none)")));
    }

    /// <summary>"seed 4 (now 5), latent 100 (now 64)", the settings that differ; null when none does.</summary>
    public static string? Mismatch(IEnumerable<ResumeSetting> settings)
    {
        var differing = settings.Where(s => s.Differs).Select(s => $"{s.Name} {s.Saved} (now {s.Asked})").ToList();
        return differing.Count == 0 ? null : string.Join(", ", differing);
    }

    private static string Text<T>(T value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";

    private static Dictionary<string, string> Properties(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText())
            : new Dictionary<string, string> { ["value"] = document.RootElement.GetRawText() };
    }
}
