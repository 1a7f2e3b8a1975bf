namespace Advex.Tests.Models.Onnx;

using System.Text.Json;
using Advex.Data;
using Advex.Models;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary>
/// The trained MNIST LeNet of the TorchScript fixtures, exported to ONNX (tests/fixtures/onnx/lenet.onnx): same
/// logits and accuracy as PyTorch (references in tests/fixtures/torchscript/expected.json), and it runs through
/// <c>advex eval</c> end to end.
/// </summary>
public sealed class OnnxLeNetTests
{
    private static readonly string LeNetPath = Path.Combine(OnnxFixture.Dir, "lenet.onnx");

    private static readonly JsonElement Expected =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.TorchScript, "expected.json"))).RootElement;

    [Fact]
    public void Onnx_lenet_matches_pytorch_logits_and_accuracy()
    {
        using var _ = new SingleThread();
        var entry = Expected.GetProperty("lenet.pt");
        using var model = ModelStore.Load(LeNetPath);
        Assert.Equal([1L, 28, 28], model.InputShape);
        using var test = DataSource.Load("mnist", "test");
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var (x, _) = test.Slice(0, 64);
            var expected = tensor(entry.GetProperty("logits_first64").EnumerateArray()
                .SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray()).reshape(64, 10);
            var excess = OnnxFixture.Excess(model.Logits(x), expected, 1e-5, 1e-4);
            Assert.True(excess <= 0, $"logits differ from PyTorch's by {excess:G3} beyond the tolerance");
        }
        Assert.Equal(entry.GetProperty("clean_accuracy").GetDouble(), ClassifierMetrics.Evaluate(model, test).Accuracy, 10);
    }

    [Fact]
    public void Eval_on_an_onnx_model_runs_from_the_command_line()
    {
        var dir = Paths.TempDir();
        var json = Path.Combine(dir, "eval.json");
        var r = CliRunner.Run("eval", "--model", LeNetPath, "--data", "idx:" + Paths.IdxSmall, "--attack", "fgsm",
            "--eps", "0,0.2", "--json", json, "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var clean = root.GetProperty("clean_accuracy").GetDouble();
        Assert.Equal(Expected.GetProperty("idx-small").GetProperty("lenet_t10k_correct").GetInt32() / 200.0, clean, 12);
        var runs = root.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(clean, runs[0].GetProperty("robust_accuracy").GetDouble());
        Assert.True(runs[1].GetProperty("robust_accuracy").GetDouble() < clean);
    }
}
