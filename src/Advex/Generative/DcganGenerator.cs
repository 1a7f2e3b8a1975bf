namespace Advex.Generative;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// A DCGAN generator for 28×28 images (Radford et al. 2016) with the fully connected stem of InfoGAN's MNIST
/// generator (Chen et al. 2016), narrowed for CPU and initialised as in DCGAN (<see cref="DcganInit"/>): z → 512
/// (BN, ReLU) → 64·7·7 (BN, ReLU) → transposed conv to 32×14×14 (BN, ReLU) → 3×3 conv 32×14×14 (BN, ReLU) →
/// transposed conv to C×28×28, tanh. Output in [−1, 1].
/// </summary>
public sealed class DcganGenerator : Module<Tensor, Tensor>
{
    private readonly Sequential project;
    private readonly Sequential upsample;

    public DcganGenerator(long latent, long channels) : base(nameof(DcganGenerator))
    {
        project = Sequential(
            Linear(latent, 512, hasBias: false), BatchNorm1d(512), ReLU(),
            Linear(512, 64 * 7 * 7, hasBias: false), BatchNorm1d(64 * 7 * 7), ReLU());
        upsample = Sequential(
            ConvTranspose2d(64, 32, 4, stride: 2, padding: 1, bias: false), BatchNorm2d(32), ReLU(),
            Conv2d(32, 32, 3, padding: 1, bias: false), BatchNorm2d(32), ReLU(),
            ConvTranspose2d(32, channels, 4, stride: 2, padding: 1), Tanh());
        RegisterComponents();
        DcganInit.Apply(this);
    }

    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        var h = project.call(z).reshape(z.shape[0], 64, 7, 7);
        return upsample.call(h).MoveToOuterDisposeScope();
    }
}
