namespace Advex.Tests.Models;

using Advex.Data;
using Advex.Models;
using static TorchSharp.torch;

public sealed class ArchitectureTests
{
    public static TheoryData<string> Names => new(Architectures.Names);

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
        Assert.Contains("wongnet", e.Message);
    }
}
