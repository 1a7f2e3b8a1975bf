namespace Advex.Generative;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// Seed 001's fully connected GAN generator: z (100) → 256 → 512 → 1024 → C·H·W, LeakyReLU(0.2) between layers,
/// tanh at the end. Output [N, C, H, W] in [−1, 1] (the trainer maps it to pixels as (g + 1) / 2).
/// </summary>
public sealed class FcGenerator : Module<Tensor, Tensor>
{
    private readonly Sequential net;
    private readonly long[] imageShape;

    public FcGenerator(long latent, long[] imageShape) : base(nameof(FcGenerator))
    {
        this.imageShape = imageShape;
        var pixels = imageShape.Aggregate(1L, (a, b) => a * b);
        net = Sequential(
            Linear(latent, 256), LeakyReLU(0.2),
            Linear(256, 512), LeakyReLU(0.2),
            Linear(512, 1024), LeakyReLU(0.2),
            Linear(1024, pixels), Tanh());
        RegisterComponents();
    }

    public override Tensor forward(Tensor z)
    {
        using var scope = NewDisposeScope();
        return net.call(z).reshape([z.shape[0], .. imageShape]).MoveToOuterDisposeScope();
    }
}
