namespace Advex.Tests.Cli;

using System.Globalization;
using System.Text.Json;
using Advex.Tests.Support;

/// <summary>
/// Issue 15's RGB acceptance on the committed fixtures: <c>advex eval</c> on the CIFAR-normalized RGB CNN
/// (tests/fixtures/onnx/cnn.onnx and the same model as TorchScript cnn.pt) gives the same robust accuracy from
/// <c>cifar10:</c> binary data and from the <c>images:</c> PNG folder holding the same pixels, and FGSM and PGD are
/// within 0.5 pt of the reference PyTorch implementation of torchattacks' FGSM and PGD (random start off, so the
/// runs are comparable sample by sample) that scripts/make_image_fixtures.py ran and wrote to
/// tests/fixtures/images/attacks.json.
/// </summary>
public sealed class RgbEvalTests
{
    private static readonly string[] Normalization =
        ["--mean", "0.4914,0.4822,0.4465", "--std", "0.2470,0.2435,0.2616"];

    public static TheoryData<string> Models() => new("cnn.onnx", "cnn.pt");

    [Theory]
    [MemberData(nameof(Models))]
    public void Fgsm_and_pgd_agree_between_cifar_binary_and_png_folder_and_with_the_pytorch_reference(string model)
    {
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.Fixtures, "images", "attacks.json"))).RootElement;
        var specs = new[]
        {
            "cifar10:" + Path.Combine(Paths.Fixtures, "cifar10"),
            "images:" + Path.Combine(Paths.Fixtures, "images", "cifar-png"),
        };
        foreach (var run in reference.GetProperty("runs").EnumerateArray())
        {
            var attack = run.GetProperty("attack").GetString()!;
            var eps = run.GetProperty("eps").GetDouble().ToString("R", CultureInfo.InvariantCulture);
            string[] extra = attack == "pgd"
                ? ["--steps", run.GetProperty("steps").GetInt32().ToString(CultureInfo.InvariantCulture),
                   "--step-size", run.GetProperty("step_size").GetDouble().ToString("R", CultureInfo.InvariantCulture),
                   "--random-start", "false"]
                : [];
            var results = specs.Select(spec => RobustAccuracy(model, spec, attack, eps, extra)).ToArray();
            Assert.True(results[0] == results[1], $"{model} {attack} ε={eps}: cifar10: {results[0]}, images: {results[1]}");
            var expected = run.GetProperty("robust_accuracy").GetDouble();
            Assert.True(Math.Abs(results[0] - expected) <= 0.005,
                $"{model} {attack} ε={eps}: Advex {results[0]:P2}, PyTorch reference {expected:P2}");
        }
    }

    private static double RobustAccuracy(string model, string spec, string attack, string eps, string[] extra)
    {
        var json = Path.Combine(Paths.TempDir(), "eval.json");
        var r = CliRunner.Run(["eval", "--model", Path.Combine(Paths.Fixtures, "onnx", model), "--data", spec, .. Normalization,
            "--attack", attack, "--eps", eps, .. extra, "--json", json, "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Err);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal(1.0, root.GetProperty("clean_accuracy").GetDouble());
        Assert.Equal(50, root.GetProperty("data").GetProperty("count").GetInt32());
        return root.GetProperty("runs")[0].GetProperty("robust_accuracy").GetDouble();
    }
}
