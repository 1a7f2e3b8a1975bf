namespace Advex.Tests.Models;

using System.Text.Json;
using Advex.Data;
using Advex.Models;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary>Parity with PyTorch on committed fixtures (tests/fixtures/torchscript, made by scripts/make_torchscript_fixtures.py).</summary>
public sealed class TorchScriptTests
{
    private static readonly JsonElement Expected =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.TorchScript, "expected.json"))).RootElement;

    [Theory]
    [InlineData("lenet.pt", false)]
    [InlineData("lenet_normalized.pt", true)]
    public void TorchScript_lenet_matches_pytorch_logits_and_accuracy(string file, bool normalized)
    {
        var entry = Expected.GetProperty(file);
        var normalization = normalized
            ? new Normalization([entry.GetProperty("mean").GetDouble()], [entry.GetProperty("std").GetDouble()])
            : null;
        using var model = ModelStore.Load(Path.Combine(Paths.TorchScript, file), normalization);
        Assert.Equal("torchscript", model.Kind);
        Assert.Equal(10, model.Classes);
        using var test = DataSource.Load("mnist", "test");
        using var scope = NewDisposeScope();
        var (x, _) = test.Slice(0, 64);
        using (no_grad())
        {
            var logits = model.Logits(x);
            var expected = tensor(entry.GetProperty("logits_first64").EnumerateArray()
                .SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray()).reshape(64, 10);
            var maxDiff = (logits - expected).abs().max().item<float>();
            Assert.True(maxDiff <= 1e-5, $"max |logit difference| {maxDiff}");
        }
        var accuracy = ClassifierMetrics.Evaluate(model, test).Accuracy;
        Assert.Equal(entry.GetProperty("clean_accuracy").GetDouble(), accuracy, 10);
    }

    [Fact]
    public void Model_whose_output_is_not_NxC_is_refused()
    {
        var e = Assert.Throws<AdvexException>(() => ModelStore.Load(Path.Combine(Paths.TorchScript, "bad_output.pt")));
        Assert.Contains("expected [N,C]", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_torchscript_is_refused_with_its_name()
    {
        var path = Path.Combine(Paths.TempDir(), "junk.pt");
        File.WriteAllText(path, "not a model");
        var e = Assert.Throws<AdvexException>(() => ModelStore.Load(path));
        Assert.Contains(path, e.Message);
    }
}
