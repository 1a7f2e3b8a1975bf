namespace Advex.Models;

using System.Text.Json.Serialization;

/// <summary>The JSON written beside an AdvGAN generator's weights (<c>generator.json</c>): what it was trained
/// against and with which budget, so that <c>--generator</c> can rebuild it and refuse goals it cannot serve.</summary>
public sealed record AdvGanManifest
{
    public const string CurrentFormat = "advex-advgan/1";

    [JsonPropertyName("format")] public string Format { get; init; } = CurrentFormat;
    [JsonPropertyName("architecture")] public string Architecture { get; init; } = "advgan-resnet4";
    [JsonPropertyName("input_shape")] public required long[] InputShape { get; init; }
    [JsonPropertyName("eps")] public required double Eps { get; init; }
    [JsonPropertyName("norm")] public string Norm { get; init; } = "linf";
    /// <summary>Null: untargeted generator; a class: trained to reach this class only.</summary>
    [JsonPropertyName("target_class")] public int? TargetClass { get; init; }
    [JsonPropertyName("weights")] public string Weights { get; init; } = AdvGanStore.WeightsName;
    [JsonPropertyName("training")] public Dictionary<string, object?> Training { get; init; } = [];
    [JsonPropertyName("metrics")] public Dictionary<string, double> Metrics { get; init; } = [];
    [JsonPropertyName("advex_version")] public string AdvexVersion { get; init; } = VersionInfo.Advex;
}
