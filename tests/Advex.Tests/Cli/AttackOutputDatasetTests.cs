namespace Advex.Tests.Cli;

using System.Globalization;
using System.Text.Json;
using Advex.Data;
using Advex.Tests.Support;

/// <summary>
/// <c>advex attack --out DIR</c> writes a dataset that <c>eval --data</c> reads back in the input's kind: <c>idx:DIR</c>
/// for MNIST (IDX), <c>cifar10:DIR</c> for CIFAR binary, <c>images:DIR/images</c> for a PNG folder. Evaluated without
/// an attack's help, the model's accuracy on the adversarial set is the attack's robust accuracy (up to the rounding of
/// pixels to bytes, which may flip a sample or two).
/// </summary>
public sealed class AttackOutputDatasetTests
{
    [Fact]
    public void Eval_reads_attack_out_as_idx_dataset_and_finds_the_attacks_robust_accuracy()
    {
        var dir = Paths.TempDir();
        var model = Path.Combine(Paths.TorchScript, "lenet.pt");
        var adv = Path.Combine(dir, "adv");
        var attack = CliRunner.Run("attack", "--model", model, "--data", "mnist", "--limit", "64", "--attack", "fgsm",
            "--eps", "0.15", "--out", adv, "--quiet");
        Assert.True(attack.ExitCode == 0, attack.Err);
        var robust = Robust(Path.Combine(adv, "summary.json"));

        var json = Path.Combine(dir, "eval.json");
        var eval = CliRunner.Run("eval", "--model", model, "--data", "idx:" + adv, "--attack", "fgsm", "--eps", "0",
            "--json", json, "--quiet");
        Assert.True(eval.ExitCode == 0, eval.Err);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(64, doc.RootElement.GetProperty("data").GetProperty("count").GetInt32());
        var clean = doc.RootElement.GetProperty("clean_accuracy").GetDouble();
        Assert.True(Math.Abs(clean - robust) <= 2.0 / 64, $"accuracy on the adversarial set {clean} vs the attack's robust accuracy {robust}");
        Assert.True(robust < 0.9, $"FGSM at 0.15 left {robust}: the test would not tell the sets apart");
    }

    [Theory]
    [InlineData("cifar10", "")]
    [InlineData("images", "images")]
    public void Eval_reads_attack_out_of_rgb_data_back(string kind, string sub)
    {
        var dir = Paths.TempDir();
        var source = kind == "cifar10" ? "cifar10:" + Path.Combine(Paths.Fixtures, "cifar10")
            : "images:" + Path.Combine(Paths.Fixtures, "images", "cifar-png");
        string[] model = ["--model", Path.Combine(Paths.Fixtures, "onnx", "cnn.onnx"), "--mean", "0.4914,0.4822,0.4465",
            "--std", "0.2470,0.2435,0.2616"];
        var adv = Path.Combine(dir, "adv");
        var eps = (8.0 / 255).ToString("R", CultureInfo.InvariantCulture);
        var attack = CliRunner.Run(["attack", .. model, "--data", source, "--attack", "fgsm", "--eps", eps, "--out", adv, "--quiet"]);
        Assert.True(attack.ExitCode == 0, attack.Err);
        var robust = Robust(Path.Combine(adv, "summary.json"));

        var json = Path.Combine(dir, "eval.json");
        var back = kind + ":" + (sub == "" ? adv : Path.Combine(adv, sub));
        var eval = CliRunner.Run(["eval", .. model, "--data", back, "--attack", "fgsm", "--eps", "0", "--json", json, "--quiet"]);
        Assert.True(eval.ExitCode == 0, eval.Err);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var count = doc.RootElement.GetProperty("data").GetProperty("count").GetInt32();
        using var original = DataSource.Load(source, "test");
        Assert.Equal(original.Count, count);
        var clean = doc.RootElement.GetProperty("clean_accuracy").GetDouble();
        Assert.True(Math.Abs(clean - robust) <= 2.0 / count, $"accuracy on the adversarial set {clean} vs robust accuracy {robust}");
    }

    private static double Robust(string summary)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(summary));
        return doc.RootElement.GetProperty("runs")[0].GetProperty("robust_accuracy").GetDouble();
    }
}
