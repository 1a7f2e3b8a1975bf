namespace Advex.Tests.Cli;

using Advex.Data;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary><c>advex attack --out</c> on RGB data writes the adversarial images in the input's own format: a
/// <c>cifar10:</c> folder for CIFAR binary input and an <c>images:</c> folder of PNGs for a PNG folder. Both read back
/// as datasets with the input's labels, inside the ε-ball of the clean pixels (plus half a grey level of rounding),
/// and the two outputs of the same attack on the same pixels are identical.</summary>
public sealed class RgbAttackOutputTests
{
    private const double Eps = 8.0 / 255;

    [Fact]
    public void Attack_outputs_read_back_as_cifar10_and_images_datasets_inside_the_eps_ball()
    {
        var dir = Paths.TempDir();
        var cifar = Path.Combine(Paths.Fixtures, "cifar10");
        var png = Path.Combine(Paths.Fixtures, "images", "cifar-png");
        Attack("cifar10:" + cifar, Path.Combine(dir, "c"));
        Attack("images:" + png, Path.Combine(dir, "i"));

        using var clean = DataSource.Load("cifar10:" + cifar, "test");
        using var fromCifar = DataSource.Load("cifar10:" + Path.Combine(dir, "c"), "test");
        using var fromPng = DataSource.Load("images:" + Path.Combine(dir, "i", DatasetWriter.ImagesFolder), "test");
        Assert.Equal(clean.LabelArray, fromCifar.LabelArray);
        Assert.Equal(clean.LabelArray, fromPng.LabelArray);
        Assert.Equal(clean.ClassNames, fromCifar.ClassNames);
        Assert.Equal(clean.ClassNames, fromPng.ClassNames);
        using var scope = NewDisposeScope();
        var x = clean.Slice(0, clean.Count).X;
        var a = fromCifar.Slice(0, clean.Count).X;
        var b = fromPng.Slice(0, clean.Count).X;
        Assert.True(a.eq(b).all().item<bool>(), "the CIFAR and PNG outputs differ");
        var linf = (a - x).abs().max().item<float>();
        Assert.True(linf <= Eps + 0.5 / 255 + 1e-6, $"L∞ {linf} outside the ε-ball");
        Assert.True(linf > 0, "the attack changed nothing");
        Assert.True(new FileInfo(Path.Combine(dir, "c", "adversarial_grid.png")).Length > 1000);
    }

    private static void Attack(string spec, string outDir)
    {
        var r = CliRunner.Run("attack", "--model", Path.Combine(Paths.Fixtures, "onnx", "cnn.onnx"), "--data", spec,
            "--mean", "0.4914,0.4822,0.4465", "--std", "0.2470,0.2435,0.2616", "--attack", "fgsm",
            "--eps", Eps.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "--out", outDir, "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
    }
}
