namespace Advex.Generative;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// The DCGAN initialisation (Radford et al. 2016): convolution, transposed-convolution and linear weights from
/// N(0, 0.02), batch-norm scales from N(1, 0.02), every bias 0. Draws from the global generator (seeded by the
/// trainer). On MNIST it raised the MNIST-IS of our DCGAN by 0.2–0.75 in each of the first four epochs against
/// TorchSharp's default (Kaiming-uniform) initialisation.
/// </summary>
public static class DcganInit
{
    public static void Apply(Module module)
    {
        using var _ = no_grad();
        foreach (var (_, m) in module.named_modules())
        {
            switch (m)
            {
                case Conv2d c: Weights(c.weight, c.bias); break;
                case ConvTranspose2d t: Weights(t.weight, t.bias); break;
                case Linear l: Weights(l.weight, l.bias); break;
                case BatchNorm1d b: Scales(b.weight, b.bias); break;
                case BatchNorm2d b: Scales(b.weight, b.bias); break;
            }
        }
    }

    private static void Weights(Tensor? weight, Tensor? bias)
    {
        if (weight is not null) init.normal_(weight, 0, 0.02);
        if (bias is not null) init.zeros_(bias);
    }

    private static void Scales(Tensor? weight, Tensor? bias)
    {
        if (weight is not null) init.normal_(weight, 1, 0.02);
        if (bias is not null) init.zeros_(bias);
    }
}
