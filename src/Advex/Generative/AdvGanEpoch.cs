namespace Advex.Generative;

using System.Text.Json.Serialization;

/// <summary>
/// One AdvGAN epoch's figures (JSON <c>epochs</c>): the discriminator's LSGAN loss, the generator's GAN, adversarial
/// (C&amp;W margin per sample) and perturbation losses, batch means; the fraction of training images fooled and
/// their mean ‖δ‖₂ as trained; success rate and mean ‖δ‖₂ on the held-out images (null without them); wall time.
/// </summary>
public sealed record AdvGanEpoch(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("d_loss")] double DLoss,
    [property: JsonPropertyName("g_gan_loss")] double GGanLoss,
    [property: JsonPropertyName("adv_loss")] double AdvLoss,
    [property: JsonPropertyName("pert_loss")] double PertLoss,
    [property: JsonPropertyName("train_success")] double TrainSuccess,
    [property: JsonPropertyName("train_mean_l2")] double TrainMeanL2,
    [property: JsonPropertyName("test_success")] double? TestSuccess,
    [property: JsonPropertyName("test_mean_l2")] double? TestMeanL2,
    [property: JsonPropertyName("seconds")] double Seconds);

/// <summary>Fixed held-out images and what the generator makes of them after an epoch, copied out of torch.</summary>
public sealed record AdvGanSamples(IReadOnlyList<float[]> Clean, IReadOnlyList<float[]> Adversarial,
    IReadOnlyList<long> Labels, IReadOnlyList<long> Predictions, long[] ImageShape);
