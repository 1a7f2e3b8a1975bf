namespace Advex.Tests.Generative;

using Advex.Models;
using static TorchSharp.torch;

/// <summary>AdvGAN's generator on [C,H,W] inputs other than MNIST's: the perturbation has the input's shape for grey
/// and RGB images of any size from 16×16 (sides that are multiples of 4 natively, others padded and cropped),.</summary>
public sealed class AdvGanGeneratorSizeTests
{
    [Theory]
    [InlineData(1, 28, 28)]
    [InlineData(3, 32, 32)]
    [InlineData(3, 33, 30)]
    [InlineData(3, 16, 45)]
    public void Perturbation_has_the_shape_of_the_input(int c, int h, int w)
    {
        manual_seed(1);
        using var g = new AdvGanGenerator(c);
        g.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = rand(2, c, h, w);
        var d = g.call(x);
        Assert.Equal([2L, c, h, w], d.shape);
        Assert.True(d.abs().max().item<float>() <= 1f);
        var cropped = g.call(x.narrow(0, 1, 1));
        Assert.Equal([1L, c, h, w], cropped.shape);
    }

    [Theory]
    [InlineData(1, 16, 16)]
    [InlineData(3, 16, 45)]
    [InlineData(1, 28, 28)]
    [InlineData(3, 32, 32)]
    public void The_discriminator_scores_every_size_the_generator_takes(int c, int h, int w)
    {
        manual_seed(1);
        using var d = new Advex.Generative.AdvGanDiscriminator(c);
        using var scope = NewDisposeScope();
        var x = rand(3, c, h, w);
        var score = d.call(x);
        Assert.Equal([3L], score.shape);
        Assert.True(score.isfinite().all().item<bool>());
        score.sum().backward(); // trainable at that size
    }

    [Fact]
    public void Images_below_16_pixels_are_refused()
    {
        using var g = new AdvGanGenerator(3);
        using var x = rand(1, 3, 10, 32);
        var e = Assert.Throws<AdvexException>(() => g.call(x));
        Assert.Contains("at least 16×16", e.Message);
    }
}
