namespace Advex.Models;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// AdvGAN's generator (Xiao et al. 2018, Appendix; the layer sizes of the reference implementation, small enough for
/// a CPU): an encoder of three 3×3 convolutions (8, 16 and 32 channels, the last two of stride 2) → four residual
/// blocks → a decoder of transposed convolutions back to the input size, tanh. For 28×28 MNIST the feature maps are
/// 26, 12, 5 → 11, 23, 28. Maps x [N, C, 28, 28] to a raw perturbation in [−1, 1]; <c>Advex.Attacks.AdvGan</c> clamps it
/// to ±ε. Instance norm throughout (no batch statistics), so a sample's δ never depends on its batch and train and
/// eval modes compute the same function.
/// </summary>
public sealed class AdvGanGenerator : Module<Tensor, Tensor>
{
    public const int ResidualBlocks = 4;

    private readonly Sequential encoder;
    private readonly Sequential residual;
    private readonly Sequential decoder;

    public AdvGanGenerator(long channels = 1) : base(nameof(AdvGanGenerator))
    {
        encoder = Sequential(
            Conv2d(channels, 8, 3, bias: true), InstanceNorm2d(8, affine: true), ReLU(),
            Conv2d(8, 16, 3, stride: 2, bias: true), InstanceNorm2d(16, affine: true), ReLU(),
            Conv2d(16, 32, 3, stride: 2, bias: true), InstanceNorm2d(32, affine: true), ReLU());
        residual = Sequential(Enumerable.Range(0, ResidualBlocks).Select(_ => (Module<Tensor, Tensor>)new ResidualBlock(32)).ToArray());
        decoder = Sequential(
            ConvTranspose2d(32, 16, 3, stride: 2, bias: false), InstanceNorm2d(16, affine: true), ReLU(),
            ConvTranspose2d(16, 8, 3, stride: 2, bias: false), InstanceNorm2d(8, affine: true), ReLU(),
            new StrideOneTransposedConv(8, channels, 6), Tanh());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (x.shape[^1] != 28 || x.shape[^2] != 28)
            throw new AdvexException($"the AdvGAN generator is built for 28×28 images (got {x.shape[^2]}×{x.shape[^1]})");
        using var scope = NewDisposeScope();
        return decoder.call(residual.call(encoder.call(x))).MoveToOuterDisposeScope();
    }
}
