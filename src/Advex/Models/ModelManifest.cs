namespace Advex.Models;

using System.Text.Json.Serialization;

/// <summary>The JSON written beside a native model's weights: everything needed to rebuild and describe it.</summary>
public sealed record ModelManifest
{
    public const string CurrentFormat = "advex-model/1";

    [JsonPropertyName("format")] public string Format { get; init; } = CurrentFormat;
    [JsonPropertyName("architecture")] public required string Architecture { get; init; }
    [JsonPropertyName("input_shape")] public required long[] InputShape { get; init; }
    [JsonPropertyName("classes")] public required int Classes { get; init; }
    [JsonPropertyName("class_names")] public string[]? ClassNames { get; init; }
    [JsonPropertyName("normalization")] public NormalizationJson? Normalization { get; init; }
    [JsonPropertyName("bounds")] public double[] Bounds { get; init; } = [0, 1];
    [JsonPropertyName("weights")] public required string Weights { get; init; }
    [JsonPropertyName("training")] public Dictionary<string, object?> Training { get; init; } = [];
    [JsonPropertyName("metrics")] public Dictionary<string, double> Metrics { get; init; } = [];
    [JsonPropertyName("advex_version")] public string AdvexVersion { get; init; } = VersionInfo.Advex;
}

public sealed record NormalizationJson(
    [property: JsonPropertyName("mean")] double[] Mean,
    [property: JsonPropertyName("std")] double[] Std);
