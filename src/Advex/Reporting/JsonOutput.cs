namespace Advex.Reporting;

using System.Text.Json;
using System.Text.Json.Serialization;
using Advex.IO;

/// <summary>Writes results as indented snake_case JSON, atomically; NaN is written as null.</summary>
public static class JsonOutput
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static void Write<T>(string path, T value) => AtomicFile.WriteAllText(path, Serialize(value));

    public static T Read<T>(string path)
    {
        if (!File.Exists(path)) throw new AdvexException($"JSON file not found: {path}");
        return JsonFile.Read<T>(path, "JSON file", Options);
    }
}
