namespace Advex.Generative;

using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>The GAN architectures by name (<c>--arch</c>): <c>dcgan</c> (the default), <c>fc</c> (step 001 of the original notes) and
/// <c>dcgan-small</c> (the demo's); the DCGANs take 28×28 images only.</summary>
public static class GanArchitectures
{
    public static IReadOnlyList<string> Names { get; } = ["dcgan", "fc", "dcgan-small"];

    public static (Module<Tensor, Tensor> Generator, Module<Tensor, Tensor> Discriminator) Create(string name,
        long latent, long[] imageShape)
    {
        var pixels = imageShape.Aggregate(1L, (a, b) => a * b);
        return name switch
        {
            "fc" => (new FcGenerator(latent, imageShape), new FcDiscriminator(pixels)),
            "dcgan" when imageShape[1] == 28 && imageShape[2] == 28 =>
                (new DcganGenerator(latent, imageShape[0]), new DcganDiscriminator(imageShape[0])),
            "dcgan-small" when imageShape[1] == 28 && imageShape[2] == 28 =>
                (new SmallDcganGenerator(latent, imageShape[0]), new SmallDcganDiscriminator(imageShape[0])),
            "dcgan" or "dcgan-small" => throw AdvexException.About(
                $"the {name} GAN needs 28×28 images (got {imageShape[1]}×{imageShape[2]}); use architecture fc", "architecture"),
            _ => throw new AdvexException($"unknown GAN architecture '{name}' (expected one of: {string.Join(", ", Names)})"),
        };
    }
}
