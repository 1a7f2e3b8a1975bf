namespace Advex.Tests.Models;

using Advex.Data;
using Advex.Models;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary>
/// The contract every registered model format keeps, on a fixture per entry: the registry recognises the fixture as
/// that format (no earlier entry takes it), it loads in eval mode with [N, classes] logits for the data's images, a
/// given normalization is applied, and the source path is recorded. Paths no format recognises are an error listing
/// every format.
/// </summary>
public sealed class ModelFormatContractTests
{
    /// <summary>An untrained LeNet saved once in the native format (model.json + model.bin).</summary>
    private static readonly Lazy<string> NativeDir = new(() =>
    {
        manual_seed(3);
        using var model = new Classifier(Architectures.Create("lenet", [1, 28, 28], 10), [1, 28, 28], 10, architecture: "lenet");
        var dir = Paths.TempDir();
        ModelStore.Save(model, dir, ModelStore.ManifestFor(model));
        return dir;
    });

    public static TheoryData<string> AllFormats() => new(ModelFormatRegistry.All.Select(f => f.Name));

    /// <summary>The path each format is tested with; a format added to the registry needs a fixture here.</summary>
    private static string Fixture(string format) => format switch
    {
        "native-folder" => NativeDir.Value,
        "native-manifest" => Path.Combine(NativeDir.Value, ModelStore.ManifestName),
        "native-weights" => Path.Combine(NativeDir.Value, ModelStore.WeightsName),
        "onnx" => Path.Combine(Paths.Fixtures, "onnx", "lenet.onnx"),
        "checkpoint" => Path.Combine(Paths.Fixtures, "checkpoints", "lenet.pth"),
        "torchscript" => Path.Combine(Paths.TorchScript, "lenet.pt"),
        _ => throw new InvalidOperationException($"model format '{format}' has no fixture in ModelFormatContractTests"),
    };

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void Format_recognises_its_fixture_and_loads_it_in_eval_mode_with_logits_per_class(string name)
    {
        var path = Fixture(name);
        Assert.Equal(name, ModelFormatRegistry.Recognise(path)?.Name);
        using var mnist = DataSource.Load("mnist", "test");
        using var scope = NewDisposeScope();
        var (x, _) = mnist.Slice(0, 8);
        var normalization = new Normalization([0.1307], [0.3081]);
        var format = ModelFormatRegistry.All.Single(f => f.Name == name);
        using var model = ModelStore.Load(path,
            new ModelOptions(normalization, mnist.InputShape, Architecture: format.TakesArchitecture ? "lenet" : null));
        Assert.False(model.Module.training, $"{name} must load in eval mode");
        Assert.Equal(mnist.InputShape, model.InputShape);
        Assert.Equal(10, model.Classes);
        Assert.Same(normalization, model.Normalization);
        Assert.False(string.IsNullOrEmpty(model.Source));
        using (no_grad())
        {
            var logits = model.Logits(x);
            Assert.Equal([8L, 10L], logits.shape);
            Assert.True(logits.isfinite().all().item<bool>());
        }
    }

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void Format_is_described_in_the_help_and_in_the_message_for_an_unknown_file(string name)
    {
        var format = ModelFormatRegistry.All.Single(f => f.Name == name);
        Assert.False(string.IsNullOrWhiteSpace(format.Description));
        Assert.Contains(format.Description, ModelFormatRegistry.Help);
        var path = Path.Combine(Paths.TempDir(), "notes.txt");
        File.WriteAllText(path, "not a model");
        Assert.Null(ModelFormatRegistry.Recognise(path));
        var e = Assert.Throws<AdvexException>(() => ModelStore.Load(path));
        Assert.Contains($"{path} is not in a model format Advex reads", e.Message);
        Assert.Contains(format.Description, e.Message);
    }

    [Fact]
    public void A_run_folder_means_its_final_model_and_a_missing_path_is_not_found()
    {
        var run = Paths.TempDir();
        var final = Path.Combine(run, "final");
        Directory.CreateDirectory(final);
        foreach (var file in Directory.GetFiles(NativeDir.Value)) File.Copy(file, Path.Combine(final, Path.GetFileName(file)));
        using (var model = ModelStore.Load(run)) Assert.Equal(Path.Combine(final, ModelStore.ManifestName), model.Source);
        var missing = Path.Combine(run, "nope.pt");
        Assert.Contains($"model file not found: {missing}", Assert.Throws<AdvexException>(() => ModelStore.Load(missing)).Message);
    }

    [Fact]
    public void A_torchscript_archive_is_recognised_whatever_its_name()
    {
        var path = Path.Combine(Paths.TempDir(), "lenet.model");
        File.Copy(Path.Combine(Paths.TorchScript, "lenet.pt"), path);
        Assert.Equal("torchscript", ModelFormatRegistry.Recognise(path)?.Name);
        using var model = ModelStore.Load(path);
        Assert.Equal("torchscript", model.Kind);
    }
}
