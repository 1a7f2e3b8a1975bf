namespace Advex.Tests.Text;

using System.Text.Json;
using Advex.Tests.Support;
using Advex.Text;
using static TorchSharp.torch;

public sealed class TextTrainingTests
{
    [Fact]
    public void Embedding_pgd_projects_into_the_ball_and_never_beats_clean_accuracy()
    {
        Advex.Native.TorchRuntime.EnsureLoaded();
        using var delta = randn(4, 7, 3).mul_(5);
        using var projected = EmbeddingPgd.Project(delta, 1.5);
        using var norms = EmbeddingPgd.PerSampleNorm(projected);
        foreach (var n in norms.flatten().data<float>().ToArray()) Assert.True(n <= 1.5 + 1e-5);
        using var small = randn(2, 3, 3).mul_(0.01);
        using var same = EmbeddingPgd.Project(small, 1.5);
        Assert.True(same.allclose(small));

        using var threads = new SingleThread();
        using var corpus = SentimentCorpus.Load();
        var result = new TextTrainer().Train(corpus, new TextTrainOptions { Epochs = 1, Seed = 1, AttackEps = [0, 0.5, 2] });
        using var model = result.Model;
        Assert.Equal(result.TestAccuracy, result.Robust[0].Accuracy, 12); // ε = 0 changes nothing
        Assert.True(result.Robust[1].Accuracy <= result.TestAccuracy);
        Assert.True(result.Robust[2].Accuracy <= result.Robust[1].Accuracy);
        Assert.Equal(result.Robust[2].Accuracy, result.RobustAccuracy);
        Assert.True(result.TestAccuracy > 0.6, $"test accuracy {result.TestAccuracy}");
    }

    [Fact]
    public void Same_seed_gives_the_same_figures()
    {
        using var threads = new SingleThread();
        using var corpus = SentimentCorpus.Load();
        var o = new TextTrainOptions { Epochs = 1, Seed = 4, Adv = "fgm", AttackEps = [0.5] };
        var a = new TextTrainer().Train(corpus, o);
        var b = new TextTrainer().Train(corpus, o);
        a.Model.Dispose();
        b.Model.Dispose();
        Assert.Equal(a.History[0].TrainLoss, b.History[0].TrainLoss);
        Assert.Equal(a.TestAccuracy, b.TestAccuracy);
        Assert.Equal(a.RobustAccuracy, b.RobustAccuracy);
    }

    [Fact]
    public void Text_train_writes_its_json_and_curves()
    {
        var dir = Paths.TempDir();
        var json = Path.Combine(dir, "text.json");
        var r = CliRunner.Run("text", "train", "--epochs", "1", "--adv", "fgm", "--seeds", "1,2", "--attack-eps", "0.5",
            "--out", Path.Combine(dir, "run"), "--json", json, "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var acc = root.GetProperty("test_accuracy").GetDouble();
        Assert.InRange(acc, 0.5, 1.0);
        Assert.Equal(1, root.GetProperty("epochs").GetArrayLength());
        Assert.Equal(2, root.GetProperty("runs").GetArrayLength());
        Assert.True(root.GetProperty("epochs")[0].GetProperty("extra").TryGetProperty("val_accuracy", out _));
        Assert.InRange(root.GetProperty("robust_accuracy").GetDouble(), 0, acc);
        Assert.Equal("fgm", root.GetProperty("options").GetProperty("adv").GetString());
        foreach (var f in new[] { "training.json", "seed-1/training.json", "seed-2/accuracy.png", "seed-2/loss.png" })
            Assert.True(File.Exists(Path.Combine(dir, "run", f)), f);
        Assert.Contains("clean test accuracy", r.Out);
    }

    [Theory]
    [InlineData("--adv", "fgsm")]
    [InlineData("--eps", "-1")]
    [InlineData("--seeds", "1,x")]
    [InlineData("--attack-eps", "a")]
    public void Text_train_rejects_bad_options_in_one_line_with_exit_2(string option, string value)
    {
        var r = CliRunner.Run("text", "train", option, value, "--epochs", "1", "--out", Paths.TempDir(), "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Err.Trim().Split('\n'));
    }
}

public sealed class TextCnnTests
{
    [Fact]
    public void Embedding_starts_from_glove_with_a_zero_padding_row_and_is_trainable()
    {
        Advex.Native.TorchRuntime.EnsureLoaded();
        using var corpus = SentimentCorpus.Load();
        TorchSharp.torch.manual_seed(0);
        using var initial = corpus.InitialEmbeddings();
        using var model = new TextCnn(initial);
        var weight = model.named_parameters().Single(p => p.name == TextCnn.EmbeddingParameter).parameter;
        Assert.True(weight.requires_grad);
        Assert.Equal(corpus.Vectors["the"], weight[corpus.Vocabulary["the"]].data<float>().ToArray());
        Assert.All(weight[Vocabulary.Pad].data<float>().ToArray(), v => Assert.Equal(0f, v));
        using var ids = corpus.Train.Batch([0, 1]).Ids;
        TorchSharp.torch.nn.functional.cross_entropy(model.call(ids), TorchSharp.torch.tensor(new long[] { 0, 1 })).backward();
        Assert.NotNull(weight.grad);
    }
}
