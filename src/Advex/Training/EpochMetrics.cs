namespace Advex.Training;

using System.Text.Json.Serialization;

/// <summary>One epoch's figures, as written to the training JSON (<c>epochs</c>) and plotted.</summary>
public sealed record EpochMetrics(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("train_loss")] double TrainLoss,
    [property: JsonPropertyName("train_accuracy")] double TrainAccuracy,
    [property: JsonPropertyName("test_loss")] double TestLoss,
    [property: JsonPropertyName("test_accuracy")] double TestAccuracy,
    [property: JsonPropertyName("lr")] double Lr,
    [property: JsonPropertyName("seconds")] double Seconds)
{
    /// <summary>Extra per-epoch figures of adversarial training (e.g. <c>pgd_accuracy</c>).</summary>
    [JsonPropertyName("extra")]
    public Dictionary<string, double> Extra { get; init; } = [];
}
