namespace Advex.Generative;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// AdvGAN's discriminator (the reference implementation's layers): 4×4 stride-2 convolutions with 8, 16 and 32
/// channels (LeakyReLU 0.2, instance norm on the last two) and a 1×1 convolution to one score per image. For 28×28
/// the maps are 13, 5, 1. Returns an unbounded score [N] for the least-squares GAN loss (Mao et al. 2017): real → 1,
/// adversarial → 0.
/// </summary>
public sealed class AdvGanDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential net;

    public AdvGanDiscriminator(long channels = 1) : base(nameof(AdvGanDiscriminator))
    {
        net = Sequential(
            Conv2d(channels, 8, 4, stride: 2), LeakyReLU(0.2),
            Conv2d(8, 16, 4, stride: 2), InstanceNorm2d(16, affine: true), LeakyReLU(0.2),
            Conv2d(16, 32, 4, stride: 2), InstanceNorm2d(32, affine: true), LeakyReLU(0.2),
            Conv2d(32, 1, 1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return net.call(x).flatten(1).mean([1]).MoveToOuterDisposeScope();
    }
}
