namespace Advex.Generative;

using Advex.Attacks.Core;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

/// <summary>AdvGAN's loss terms (Xiao et al. 2018, eq. 1–4; step 000 of the original notes).</summary>
public static class AdvGanLosses
{
    /// <summary>
    /// The C&amp;W margin to minimise, summed over the batch (as the reference implementation): untargeted
    /// max(s_y − max_{i≠y} s_i, 0), targeted max(max_{i≠t} s_i − s_t, 0), with s the softmax probabilities or the
    /// logits. The excluded class is masked with −∞ (not 0, torchattacks' flaw).
    /// </summary>
    public static Tensor Margin(Tensor logits, Tensor classes, bool targeted, MarginSpace space)
    {
        using var scope = NewDisposeScope();
        var s = space == MarginSpace.Probabilities ? logits.softmax(1) : logits;
        return Losses.Margin(s, classes, targeted).clamp_min(0).sum().MoveToOuterDisposeScope();
    }

    /// <summary>Mean over the batch of ‖δ‖₂, or of max(0, ‖δ‖₂ − c) with a hinge bound c (the paper's L_hinge).</summary>
    public static Tensor Perturbation(Tensor delta, double? hingeBound)
    {
        using var scope = NewDisposeScope();
        var norms = delta.flatten(1).norm(1, keepdim: false, p: 2);
        var loss = hingeBound is { } c ? (norms - c).clamp_min(0) : norms;
        return loss.mean().MoveToOuterDisposeScope();
    }

    /// <summary>The least-squares discriminator loss: (D(x) − 1)² + D(x')², batch means.</summary>
    public static Tensor Discriminator(Tensor realScore, Tensor fakeScore)
    {
        using var scope = NewDisposeScope();
        return (mse_loss(realScore, ones_like(realScore)) + mse_loss(fakeScore, zeros_like(fakeScore)))
            .MoveToOuterDisposeScope();
    }

    /// <summary>The least-squares generator GAN loss: (D(x') − 1)², batch mean.</summary>
    public static Tensor Generator(Tensor fakeScore) => mse_loss(fakeScore, ones_like(fakeScore));
}
