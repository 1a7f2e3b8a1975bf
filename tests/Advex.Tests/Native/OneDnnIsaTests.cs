namespace Advex.Tests.Native;

using Advex.Native;
using TorchSharp;
using static TorchSharp.torch;

public class OneDnnIsaTests
{
    /// <summary>The cap is in the process environment before any test could run a convolution, unless the
    /// environment named its own (then that value is kept).</summary>
    [Fact]
    public void OneDnn_is_capped_unless_the_environment_says_otherwise()
    {
        OneDnnIsa.Apply();
        var value = Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA");
        if (Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is null)
            Assert.False(string.IsNullOrEmpty(value));
        Assert.NotNull(value ?? Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA"));
    }

    /// <summary>
    /// Convolution shapes that libtorch 2.10's oneDNN got wrong on the project's AMD EPYC with its wider kernels
    /// (measured 2026-12-06, mean relative error of the input gradient against float64): AVX2 0.36 on LeNet's first
    /// convolution (1→6, 5×5, padding 2) and 0.42 on 16→6, a NaN forward on 12→16; AVX-512 0.75, 0.73, 0.66 (6→8) and
    /// 0.35 / 0.37 forward and backward on 24→24 (3×3). Under the cap every one agrees with the float64 computation
    /// (which never runs oneDNN) to float32 rounding. On a machine whose wider kernels are right the test passes
    /// either way; here it fails as soon as the cap is lifted (<c>DNNL_MAX_CPU_ISA=AVX2 dotnet test …</c>).
    /// </summary>
    [Theory]
    [InlineData(1, 6, 5, 2, 28)]
    [InlineData(6, 16, 5, 0, 14)]
    [InlineData(16, 6, 5, 0, 14)]
    [InlineData(6, 8, 5, 0, 14)]
    [InlineData(12, 16, 5, 0, 14)]
    [InlineData(24, 24, 3, 1, 16)]
    [InlineData(3, 64, 7, 3, 64)]
    public void Convolution_and_its_input_gradient_agree_with_float64(int inChannels, int outChannels, int kernel,
        int padding, int size)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var gen = new Generator(17);
        var w = randn([outChannels, inChannels, kernel, kernel], generator: gen) * 0.1;
        var x = rand([32, inChannels, size, size], generator: gen);
        long[] pad = [padding, padding];
        var (y32, g32) = ConvWithGradient(x, w, pad, gen, out var upstream);
        var (y64, g64) = ConvWithGradient(x.to(ScalarType.Float64), w.to(ScalarType.Float64), pad, null, out _, upstream);
        Assert.True(MeanRelativeError(y32, y64) < 1e-5, $"forward off by {MeanRelativeError(y32, y64):E2}");
        Assert.True(MeanRelativeError(g32, g64) < 1e-5, $"input gradient off by {MeanRelativeError(g32, g64):E2}");
    }

    private static (Tensor Output, Tensor InputGradient) ConvWithGradient(Tensor x, Tensor w, long[] pad,
        Generator? gen, out Tensor upstream, Tensor? given = null)
    {
        var xr = x.detach().requires_grad_(true);
        var y = nn.functional.conv2d(xr, w, padding: pad);
        upstream = given?.to(y.dtype) ?? randn(y.shape, generator: gen);
        var g = autograd.grad([(y * upstream).sum()], [xr])[0];
        return (y.detach(), g);
    }

    private static double MeanRelativeError(Tensor a, Tensor reference)
    {
        var r = reference.to(ScalarType.Float64);
        var diff = (a.to(ScalarType.Float64) - r).abs().mean().item<double>();
        var scale = r.abs().mean().item<double>();
        return double.IsNaN(diff) ? double.PositiveInfinity : diff / scale;
    }
}
