namespace Advex.Generative;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// A DCGAN discriminator for 28×28 images with InfoGAN's fully connected head, narrowed for CPU and initialised as
/// in DCGAN (<see cref="DcganInit"/>): conv to 32×14×14 (LeakyReLU 0.2) → conv to 64×7×7 (BN, LeakyReLU) → linear
/// 256 (BN, LeakyReLU) → linear → the logit [N] of "real".
/// </summary>
public sealed class DcganDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Sequential head;

    public DcganDiscriminator(long channels) : base(nameof(DcganDiscriminator))
    {
        features = Features(channels);
        head = Sequential(Linear(64 * 7 * 7, 256, hasBias: false), BatchNorm1d(256), LeakyReLU(0.2), Linear(256, 1));
        RegisterComponents();
        DcganInit.Apply(this);
    }

    /// <summary>The convolutional stack both DCGAN discriminators share: C×28×28 → 32×14×14 (LeakyReLU 0.2) →
    /// 64×7×7 (BN, LeakyReLU 0.2).</summary>
    internal static Sequential Features(long channels) => Sequential(
        Conv2d(channels, 32, 4, stride: 2, padding: 1), LeakyReLU(0.2),
        Conv2d(32, 64, 4, stride: 2, padding: 1, bias: false), BatchNorm2d(64), LeakyReLU(0.2));

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return head.call(features.call(x).flatten(1)).squeeze(1).MoveToOuterDisposeScope();
    }
}
