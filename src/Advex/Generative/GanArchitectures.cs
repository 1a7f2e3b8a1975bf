namespace Advex.Generative;

using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>The GAN architectures by name (<c>--arch</c>): <c>fc</c> (seed 001) and <c>dcgan</c> (28×28 only).</summary>
public static class GanArchitectures
{
    public static IReadOnlyList<string> Names { get; } = ["fc", "dcgan"];

    public static (Module<Tensor, Tensor> Generator, Module<Tensor, Tensor> Discriminator) Create(string name,
        long latent, long[] imageShape)
    {
        var pixels = imageShape.Aggregate(1L, (a, b) => a * b);
        return name switch
        {
            "fc" => (new FcGenerator(latent, imageShape), new FcDiscriminator(pixels)),
            "dcgan" when imageShape[1] == 28 && imageShape[2] == 28 =>
                (new DcganGenerator(latent, imageShape[0]), new DcganDiscriminator(imageShape[0])),
            "dcgan" => throw new AdvexException(
                $"the dcgan architecture needs 28×28 images (got {imageShape[1]}×{imageShape[2]}); use --arch fc"),
            _ => throw new AdvexException($"unknown GAN architecture '{name}' (expected one of: {string.Join(", ", Names)})"),
        };
    }
}
