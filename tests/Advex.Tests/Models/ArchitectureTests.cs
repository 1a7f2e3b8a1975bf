namespace Advex.Tests.Models;

using Advex.Data;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>The contract suite of the architecture registry: every entry gives logits per class, survives save and
/// load, takes other input shapes and class counts, and is described in the help.</summary>
public sealed class ArchitectureTests
{
    public static TheoryData<string> Names => new(Architectures.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_architecture_takes_other_shapes_and_class_counts_and_is_described(string name)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var module = Architectures.Create(name, [3, 32, 32], 7);
        using var logits = module.call(rand(2, 3, 32, 32));
        Assert.Equal([2L, 7L], logits.shape);
        var entry = Architectures.Get(name);
        Assert.False(string.IsNullOrWhiteSpace(entry.Description));
        Assert.Contains($"{name} ({entry.Description})", Architectures.Help);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_architecture_gives_logits_per_class_and_survives_save_and_load(string name)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = new Classifier(Architectures.Create(name, [1, 28, 28], 10), [1, 28, 28], 10, architecture: name);
        using var test = DataSource.Load("mnist", "test");
        var (x, _) = test.Slice(0, 8);
        var logits = model.Logits(x);
        Assert.Equal([8L, 10L], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());

        var dir = Path.Combine(Path.GetTempPath(), $"advex-arch-{name}-{Guid.NewGuid():N}");
        try
        {
            var manifest = ModelStore.Save(model, dir, ModelStore.ManifestFor(model));
            using var loaded = ModelStore.Load(manifest);
            Assert.Equal(name, loaded.Architecture);
            Assert.True(loaded.Logits(x).eq(logits).all().item<bool>(), "a reloaded model must give the same logits");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Unknown_architecture_is_a_clear_error()
    {
        var e = Assert.Throws<AdvexException>(() => Architectures.Create("resnet", [1, 28, 28], 10));
        Assert.Contains("unknown architecture 'resnet'", e.Message);
        Assert.All(Architectures.Names, n => Assert.Contains(n, e.Message));
    }
}
