namespace Advex.Tests.Text;

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
