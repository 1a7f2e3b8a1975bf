namespace Advex.Evaluation;

using System.Text.Json;
using System.Text.Json.Serialization;

/// <summary>The JSON conventions of evaluation folders: snake_case names, one compact record per line. Reading is
/// strict: a missing field or a null where a value is required is an error, not a default (the files may have been
/// edited).</summary>
public static class RecordJson
{
    public static JsonSerializerOptions Line { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static JsonSerializerOptions Indented { get; } = new(Line) { WriteIndented = true };
}
