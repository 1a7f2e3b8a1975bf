namespace Advex.Generative;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// The <c>dcgan-small</c> discriminator for 28×28 images: <see cref="DcganDiscriminator"/>'s convolutional stack
/// (C×28×28 → 64×7×7) → linear → the logit [N] of "real".
/// </summary>
public sealed class SmallDcganDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Linear head;

    public SmallDcganDiscriminator(long channels) : base(nameof(SmallDcganDiscriminator))
    {
        features = DcganDiscriminator.Features(channels);
        head = Linear(64 * 7 * 7, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return head.call(features.call(x).flatten(1)).squeeze(1).MoveToOuterDisposeScope();
    }
}
