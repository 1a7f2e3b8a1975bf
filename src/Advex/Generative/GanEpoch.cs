namespace Advex.Generative;

using System.Text.Json.Serialization;

/// <summary>One GAN epoch's figures (JSON <c>epochs</c>): mean losses over the batches, mean D(x) and D(G(z)) (the
/// discriminator's probabilities of "real" during its own step), the MNIST Inception Score of fresh samples (null
/// without a scorer) and the epoch's wall time.</summary>
public sealed record GanEpoch(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("d_loss")] double DLoss,
    [property: JsonPropertyName("g_loss")] double GLoss,
    [property: JsonPropertyName("d_real")] double DReal,
    [property: JsonPropertyName("d_fake")] double DFake,
    [property: JsonPropertyName("inception_score")] double? InceptionScore,
    [property: JsonPropertyName("seconds")] double Seconds);
