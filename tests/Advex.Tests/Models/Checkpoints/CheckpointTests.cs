namespace Advex.Tests.Models.Checkpoints;

using System.Text.Json;
using Advex.Models;
using Advex.Models.Checkpoints;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary>
/// PyTorch state_dict checkpoints (tests/fixtures/checkpoints, made by scripts/make_checkpoint_fixtures.py with
/// Debian's PyTorch 1.13 and torchvision 0.14): loaded into TorchVision .NET's resnet18 and Advex's LeNet, they give
/// PyTorch's logits; a state_dict for another architecture is refused naming the first differing keys.
/// </summary>
public sealed class CheckpointTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static string Dir => Path.Combine(Paths.Fixtures, "checkpoints");

    private static readonly JsonElement Expected =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "expected.json"))).RootElement;

    private static Tensor Floats(string file, long[] shape)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Dir, file));
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return tensor(values).reshape(shape);
    }

    private static Tensor ExpectedLogits(string model) => tensor(Expected.GetProperty(model).GetProperty("logits")
        .EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray()).reshape(4, -1);

    private static double MaxAbsDiff(Tensor a, Tensor b) =>
        (a.to_type(ScalarType.Float64) - b.to_type(ScalarType.Float64)).abs().max().item<double>();

    [Theory]
    [InlineData("resnet18.pth")]
    [InlineData("resnet18.safetensors")]
    public void Resnet18_state_dict_gives_pytorchs_logits_within_1e_5(string file)
    {
        var path = Path.Combine(Dir, file);
        Assert.Equal("checkpoint", ModelFormatRegistry.Recognise(path)?.Name);
        using var model = ModelStore.Load(path, new ModelOptions(InputShape: [3, 64, 64], Architecture: "resnet18"));
        Assert.Equal(10, model.Classes); // read from fc.weight, not given
        Assert.Equal("resnet18", model.Architecture);
        Assert.Equal("checkpoint", model.Kind);
        Assert.False(model.Module.training);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var logits = model.Logits(Floats("inputs.bin", [4, 3, 64, 64]));
        var diff = MaxAbsDiff(logits, ExpectedLogits("resnet18"));
        output.WriteLine($"{file}: max |logit difference| {diff:E2}");
        Assert.True(diff <= 1e-5, $"max |logit difference| {diff} exceeds 1e-5");
        // the logits are not degenerate: classes and samples differ, so a wrong tensor would show
        var expected = ExpectedLogits("resnet18");
        Assert.True(expected.std().item<float>() > 0.3);
        Assert.True((expected[0] - expected[1]).abs().max().item<float>() > 0.01);
    }

    [Fact]
    public void A_state_dict_with_advex_lenet_names_loads_into_the_native_lenet()
    {
        using var model = ModelStore.Load(Path.Combine(Dir, "lenet.pth"), new ModelOptions(Architecture: "lenet"));
        Assert.Equal([1L, 28, 28], model.InputShape);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var diff = MaxAbsDiff(model.Logits(Floats("lenet_inputs.bin", [4, 1, 28, 28])), ExpectedLogits("lenet"));
        Assert.True(diff <= 1e-5, $"max |logit difference| {diff} exceeds 1e-5");
    }

    [Theory]
    // {"epoch", "state_dict" (every name under module.), "optimizer" (momentum tensors of its own), "best_acc", "args"}
    [InlineData("lenet_training.pth")]
    // Lightning's layout: "state_dict" (names under model.), "optimizer_states", "hyper_parameters" (a Namespace), ...
    [InlineData("lenet_lightning.ckpt")]
    public void A_training_checkpoint_gives_the_logits_of_the_state_dict_inside_it(string file)
    {
        var path = Path.Combine(Dir, file);
        using var model = ModelStore.Load(path, new ModelOptions(Architecture: "lenet"));
        Assert.Equal("state_dict", model.CheckpointEntry);
        Assert.Equal(10, model.Classes); // read from fc3.weight under its prefix
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var diff = MaxAbsDiff(model.Logits(Floats("lenet_inputs.bin", [4, 1, 28, 28])), ExpectedLogits("lenet"));
        Assert.True(diff <= 1e-5, $"max |logit difference| {diff} exceeds 1e-5");
    }

    [Theory]
    [InlineData("model", "lenet")]
    [InlineData("ema", "lenet_ema")]
    public void The_checkpoint_key_picks_one_of_two_state_dicts(string key, string expected)
    {
        var path = Path.Combine(Dir, "lenet_two_models.pth");
        using var model = ModelStore.Load(path, new ModelOptions(Architecture: "lenet", CheckpointKey: key));
        Assert.Equal(key, model.CheckpointEntry);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var logits = model.Logits(Floats("lenet_inputs.bin", [4, 1, 28, 28]));
        var diff = MaxAbsDiff(logits, ExpectedLogits(expected));
        Assert.True(diff <= 1e-5, $"max |logit difference| {diff} exceeds 1e-5");
        // the two models differ, so picking the wrong entry would show
        Assert.True(MaxAbsDiff(ExpectedLogits("lenet"), ExpectedLogits("lenet_ema")) > 0.1);
    }

    [Fact]
    public void A_prefix_is_removed_only_when_every_name_has_it_and_it_uncovers_the_output_layer()
    {
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> Names(params string[] keys) => keys.ToDictionary(k => k, _ => zeros(1));
        var (stripped, prefix) = StateDict.WithoutPrefix(Names("module.model.fc.weight", "module.model.conv.weight"), "fc.weight");
        Assert.Equal("module.model.", prefix);
        Assert.Equal(["fc.weight", "conv.weight"], stripped.Keys);
        // one name without the prefix: nothing is removed, and the key check names the difference
        (stripped, prefix) = StateDict.WithoutPrefix(Names("module.fc.weight", "conv.weight"), "fc.weight");
        Assert.Equal("", prefix);
        Assert.Equal(["module.fc.weight", "conv.weight"], stripped.Keys);
        // the output layer is already there (an architecture with a submodule called module): names stay
        (stripped, prefix) = StateDict.WithoutPrefix(Names("fc.weight", "fc.bias"), "fc.weight");
        Assert.Equal("", prefix);
        // removing the prefix would not give the output layer: names stay
        (_, prefix) = StateDict.WithoutPrefix(Names("backbone.conv.weight", "backbone.head.weight"), "fc.weight");
        Assert.Equal("", prefix);
    }

    [Fact]
    public void A_state_dict_pt_and_a_torchscript_pt_are_told_apart_by_content()
    {
        var copy = Path.Combine(Paths.TempDir(), "weights.pt");
        File.Copy(Path.Combine(Dir, "lenet.pth"), copy);
        Assert.Equal("checkpoint", ModelFormatRegistry.Recognise(copy)?.Name);
        Assert.Equal("torchscript", ModelFormatRegistry.Recognise(Path.Combine(Paths.Fixtures, "onnx", "cnn.pt"))?.Name);
        Assert.Equal("torchscript", ModelFormatRegistry.Recognise(Path.Combine(Paths.TorchScript, "lenet.pt"))?.Name);
    }

    [Fact]
    public void Resnet18_weights_for_vgg11_are_refused_listing_missing_and_unexpected_keys()
    {
        var path = Path.Combine(Dir, "resnet18.pth");
        var e = Assert.Throws<AdvexException>(() => ModelStore.Load(path, new ModelOptions(Architecture: "vgg11")));
        Assert.Contains($"checkpoint {path} does not fit architecture vgg11", e.Message);
        Assert.Contains("missing features.0.weight", e.Message);
        Assert.Contains("unexpected bn1.bias", e.Message);
        Assert.Contains("more", e.Message); // only the first keys are listed
    }

    [Fact]
    public void A_class_count_that_the_checkpoint_does_not_have_is_a_shape_mismatch_naming_both_shapes()
    {
        var e = Assert.Throws<AdvexException>(() => ModelStore.Load(Path.Combine(Dir, "resnet18.pth"),
            new ModelOptions(Architecture: "resnet18", Classes: 7)));
        Assert.Contains("shape fc.weight (checkpoint [10,512], architecture [7,512]), fc.bias (checkpoint [10], architecture [7])", e.Message);
        Assert.DoesNotContain("missing", e.Message);
    }

    [Fact]
    public void A_lenet_state_dict_for_resnet18_lists_missing_unexpected_and_misshapen_keys()
    {
        var e = Assert.Throws<AdvexException>(() => ModelStore.Load(Path.Combine(Dir, "lenet.pth"),
            new ModelOptions(Architecture: "resnet18")));
        Assert.Contains("does not fit architecture resnet18: missing bn1.weight, bn1.bias", e.Message);
        Assert.Contains("unexpected conv1.bias, conv2.bias", e.Message);
        Assert.Contains("shape conv1.weight (checkpoint [6,1,5,5], architecture [64,3,7,7])", e.Message);
    }

    [Fact]
    public void A_state_dict_without_an_architecture_asks_for_one()
    {
        var e = Assert.Throws<AdvexException>(() => ModelStore.Load(Path.Combine(Dir, "lenet.pth")));
        Assert.Contains("give the architecture it belongs to", e.Message);
        Assert.Contains("resnet18", e.Message);
    }

    [Fact]
    public void Every_checkpoint_architecture_builds_with_its_output_layer_under_its_head_key()
    {
        foreach (var a in CheckpointArchitectures.All)
        {
            using var module = a.Create(a.DefaultInputShape, 7);
            var state = module.state_dict();
            Assert.True(state.ContainsKey(a.HeadKey), $"{a.Name} has no {a.HeadKey}");
            Assert.Equal(7, state[a.HeadKey].shape[0]);
        }
    }
}
