namespace Advex.Generative;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// AdvGAN's discriminator (the reference implementation's layers): 4×4 stride-2 convolutions with 8, 16 and 32
/// channels (LeakyReLU 0.2, batch norm on the last two: instance norm would zero the 1×1 map of the third layer)
/// and a 1×1 convolution to one score per image. For 28×28 the maps are 13, 5, 1. The third layer needs a 4×4 map,
/// so a side below <see cref="MinSide"/> is zero-padded to it, equally on both ends (the generator works from 16×16;
/// larger images are unchanged). Used in training only. Returns an unbounded score [N] for the least-squares GAN loss
/// (Mao et al. 2017): real → 1, adversarial → 0.
/// </summary>
public sealed class AdvGanDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential net;

    public AdvGanDiscriminator(long channels = 1) : base(nameof(AdvGanDiscriminator))
    {
        net = Sequential(
            Conv2d(channels, 8, 4, stride: 2), LeakyReLU(0.2),
            Conv2d(8, 16, 4, stride: 2), BatchNorm2d(16), LeakyReLU(0.2),
            Conv2d(16, 32, 4, stride: 2), BatchNorm2d(32), LeakyReLU(0.2),
            Conv2d(32, 1, 1));
        RegisterComponents();
    }

    /// <summary>The smallest side the three 4×4 stride-2 convolutions take: 22 → 10 → 4 → 1.</summary>
    public const long MinSide = 22;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (h, w) = (x.shape[2], x.shape[3]);
        if (h < MinSide || w < MinSide)
        {
            var (ph, pw) = (Math.Max(0, MinSide - h), Math.Max(0, MinSide - w));
            x = functional.pad(x, [pw / 2, pw - pw / 2, ph / 2, ph - ph / 2]);
        }
        return net.call(x).flatten(1).mean([1]).MoveToOuterDisposeScope();
    }
}
