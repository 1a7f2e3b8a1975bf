namespace Advex.Generative;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// The <c>dcgan-small</c> discriminator for 28×28 images: conv to 32×14×14 (LeakyReLU 0.2) → conv to 64×7×7 (BN, LeakyReLU)
/// → linear → the logit [N] of "real".
/// </summary>
public sealed class SmallDcganDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Linear head;

    public SmallDcganDiscriminator(long channels) : base(nameof(SmallDcganDiscriminator))
    {
        features = Sequential(
            Conv2d(channels, 32, 4, stride: 2, padding: 1), LeakyReLU(0.2),
            Conv2d(32, 64, 4, stride: 2, padding: 1, bias: false), BatchNorm2d(64), LeakyReLU(0.2));
        head = Linear(64 * 7 * 7, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return head.call(features.call(x).flatten(1)).squeeze(1).MoveToOuterDisposeScope();
    }
}
