namespace Advex.Evaluation;

using System.Text.Json;
using System.Text.Json.Serialization;

/// <summary>The JSON conventions of evaluation folders: snake_case names, one compact record per line.</summary>
public static class RecordJson
{
    public static JsonSerializerOptions Line { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    public static JsonSerializerOptions Indented { get; } = new(Line) { WriteIndented = true };
}
