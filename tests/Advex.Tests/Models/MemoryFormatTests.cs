namespace Advex.Tests.Models;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Data;
using Advex.Models;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary>The channels-last layout: same values and gradients, chosen only for models that run it.</summary>
public sealed class MemoryFormatTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Channels_last_keeps_the_values_and_passes_gradients_back_unchanged(int channels)
    {
        using var scope = NewDisposeScope();
        var x = rand([5, channels, 7, 6], generator: new Generator(3)).requires_grad_(true);
        var cl = MemoryFormats.Apply(x, MemoryFormat.ChannelsLast);
        Assert.Equal(new long[] { 7 * 6 * channels, 1, 6 * channels, channels }, cl.stride());
        Assert.True(cl.eq(x).all().item<bool>());
        var weights = rand([5, channels, 7, 6], generator: new Generator(4));
        var g = autograd.grad([(cl * weights).sum()], [x])[0];
        Assert.True(g.eq(weights).all().item<bool>());
        Assert.Same(x, MemoryFormats.Apply(x, MemoryFormat.Contiguous));
        var flat = rand(4, 9);
        Assert.Same(flat, MemoryFormats.Apply(flat, MemoryFormat.ChannelsLast));
    }

    [Fact]
    public void The_lenet_fixture_runs_channels_last_with_the_same_logits_and_gradients()
    {
        var path = Path.Combine(Paths.TorchScript, "lenet.pt");
        using var auto = ModelFormatRegistry.Load(path, new ModelOptions(MemoryFormat: MemoryFormat.ChannelsLast));
        using var plain = ModelStore.Load(path);
        Assert.Equal(MemoryFormat.ChannelsLast, auto.MemoryFormat);
        Assert.Equal(MemoryFormat.Contiguous, plain.MemoryFormat);
        using var test = DataSource.Load("mnist", "test");
        using var scope = NewDisposeScope();
        var (x, y) = test.Slice(0, 128);
        var goal = new Untargeted(y);
        var (ga, la) = Gradients.Of(auto, x, l => Losses.CrossEntropy(l, goal));
        var (gp, lp) = Gradients.Of(plain, x, l => Losses.CrossEntropy(l, goal));
        Assert.True((la - lp).abs().max().item<float>() < 1e-4f);
        Assert.True(la.argmax(1).eq(lp.argmax(1)).all().item<bool>());
        var rel = ((ga - gp).norm() / gp.norm()).item<float>();
        Assert.True(rel < 1e-4f, $"relative gradient difference {rel}");
    }

    [Fact]
    public void A_module_that_views_its_input_cannot_run_channels_last()
    {
        using var model = new Classifier(new Viewing(), [3, 4, 4], 2);
        Assert.False(MemoryFormats.RunsChannelsLast(model));
        using var grey = new Classifier(new Viewing(), [1, 4, 4], 2);
        // one channel: the channels-last batch is the same memory, so view works and the logits agree
        Assert.True(MemoryFormats.RunsChannelsLast(grey));
        using var flat = new Classifier(new Viewing(), [48], 2);
        Assert.False(MemoryFormats.RunsChannelsLast(flat));
    }

    [Fact]
    public void Asking_for_channels_last_where_it_cannot_run_is_refused_by_name()
    {
        var e = Assert.Throws<AdvexException>(() => ModelFormatRegistry.Load(Path.Combine(Paths.Fixtures, "onnx", "lenet.onnx"),
            new ModelOptions(Backend: ModelBackend.OnnxRuntime, MemoryFormat: MemoryFormat.ChannelsLast)));
        Assert.Contains("--memory-format contiguous", e.Message);
        Assert.Throws<AdvexException>(() => MemoryFormats.Parse("nhwc"));
        Assert.Null(MemoryFormats.Parse("auto"));
        Assert.Equal(MemoryFormat.ChannelsLast, MemoryFormats.Parse("channels_last"));
    }

    /// <summary>x.view(N, −1) then a fixed linear map: view fails on a channels-last batch of more than one channel.</summary>
    private sealed class Viewing : TorchSharp.torch.nn.Module<Tensor, Tensor>
    {
        public Viewing() : base("viewing") { }

        public override Tensor forward(Tensor x)
        {
            var flat = x.view([x.shape[0], -1]);
            return stack([flat.sum(1), flat.mean([1])], dim: 1);
        }
    }
}
