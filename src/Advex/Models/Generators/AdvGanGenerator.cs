namespace Advex.Models;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// AdvGAN's generator (Xiao et al. 2018, Appendix; the layer sizes of the reference implementation, small enough for
/// a CPU): an encoder of three 3×3 convolutions (8, 16 and 32 channels, the last two of stride 2) → four residual
/// blocks → a decoder of transposed convolutions back to the input size, tanh. For 28×28 MNIST the feature maps are
/// 26, 12, 5 → 11, 23, 28; any size of at least 16×16 works (the deepest maps need 2×2 for instance norm) (see forward). Maps x [N, C, H, W] to a raw perturbation in [−1, 1]; <c>Advex.Attacks.AdvGan</c> clamps it
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
        var (h, w) = (x.shape[^2], x.shape[^1]);
        if (h < 16 || w < 16)
            throw new AdvexException($"the AdvGAN generator needs images of at least 16×16 (got {h}×{w})");
        using var scope = NewDisposeScope();
        // The encoder/decoder maps a side n back to n exactly when n is a multiple of 4 (28 → 26, 12, 5 → 11, 23, 28;
        // 32 → 30, 14, 6 → 13, 27, 32): other sizes are padded (edge pixels repeated) up to one, and cropped back.
        var (padH, padW) = ((4 - h % 4) % 4, (4 - w % 4) % 4);
        var input = padH + padW == 0 ? x : nn.functional.pad(x, [0, padW, 0, padH], TorchSharp.PaddingModes.Replicate);
        var output = decoder.call(residual.call(encoder.call(input)));
        if (padH + padW != 0) output = output.narrow(-2, 0, h).narrow(-1, 0, w);
        return output.MoveToOuterDisposeScope();
    }
}
