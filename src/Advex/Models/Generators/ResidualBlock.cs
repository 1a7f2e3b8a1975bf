namespace Advex.Models;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>A residual block (He et al. 2016) as in AdvGAN's generator: x + [pad, conv 3×3, norm, ReLU, pad,
/// conv 3×3, norm](x), reflection padding, instance norm.</summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    private readonly Sequential body;

    public ResidualBlock(long channels) : base(nameof(ResidualBlock))
    {
        body = Sequential(
            ReflectionPad2d(1), Conv2d(channels, channels, 3, bias: false), InstanceNorm2d(channels, affine: true), ReLU(),
            ReflectionPad2d(1), Conv2d(channels, channels, 3, bias: false), InstanceNorm2d(channels, affine: true));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (x + body.call(x)).MoveToOuterDisposeScope();
    }
}
