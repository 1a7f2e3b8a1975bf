namespace Advex.Generative;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// Seed 001's fully connected GAN discriminator: C·H·W → 512 → 256 → 1, LeakyReLU(0.2) and dropout 0.3 after each
/// hidden layer. Returns the logit [N] of "real" (the sigmoid is inside the loss, BCE with logits).
/// </summary>
public sealed class FcDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential net;

    public FcDiscriminator(long pixels) : base(nameof(FcDiscriminator))
    {
        net = Sequential(
            Linear(pixels, 512), LeakyReLU(0.2), Dropout(0.3),
            Linear(512, 256), LeakyReLU(0.2), Dropout(0.3),
            Linear(256, 1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return net.call(x.flatten(1)).squeeze(1).MoveToOuterDisposeScope();
    }
}
