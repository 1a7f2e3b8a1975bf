namespace Advex.Text;

using System.Diagnostics;
using Advex.Data;
using Advex.Defenses;
using Advex.Training;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>The outcome of one text training run: the model, per-epoch figures and the final test figures.</summary>
public sealed record TextTrainResult(TextCnn Model, IReadOnlyList<EpochMetrics> History, double TestAccuracy,
    double ValAccuracy, IReadOnlyList<RobustPoint> Robust, double Seconds)
{
    /// <summary>Test accuracy under the strongest (largest-ε) evaluation attack.</summary>
    public double RobustAccuracy => Robust.MaxBy(r => r.Eps)!.Accuracy;
}

/// <summary>Test accuracy under <see cref="EmbeddingPgd"/> of radius <see cref="Eps"/>.</summary>
public sealed record RobustPoint(double Eps, double Accuracy);

/// <summary>
/// Trains a <see cref="TextCnn"/> on a <see cref="SentimentCorpus"/> with Adam, optionally with parameter-space
/// adversarial training on the embedding (<see cref="ParameterFgm"/>, <see cref="ParameterPgd"/>). Per epoch: the
/// clean train loss and accuracy (of the clean forward pass, in train mode), the test loss and accuracy and
/// <c>val_accuracy</c> (in <see cref="EpochMetrics.Extra"/>), plus <c>adv_loss</c> when training adversarially. The
/// final model is the last epoch's (no selection on test or val). The epochs run in the shared
/// <see cref="TrainingLoop{TFigures}"/> (its step is <see cref="TextRun"/>), without checkpoints. At the end: clean
/// test accuracy and the test accuracy under <see cref="EmbeddingPgd"/> for each radius. The same seed gives the same
/// figures on CPU.
/// </summary>
public sealed record TextTrainer
{
    /// <summary>Called after every batch with (epoch, batch, batches).</summary>
    public Action<int, int, int>? OnBatch { get; init; }

    /// <summary>Called after every epoch.</summary>
    public Action<EpochMetrics>? OnEpoch { get; init; }

    public TextTrainResult Train(SentimentCorpus corpus, TextTrainOptions options)
    {
        options.Validate();
        Native.TorchRuntime.EnsureLoaded();
        var clock = Stopwatch.StartNew();
        torch.manual_seed(options.Seed);
        using var initial = corpus.InitialEmbeddings();
        var model = new TextCnn(initial, SentimentCorpus.ClassNames.Length, options.Filters, dropout: options.Dropout);
        var perturbation = ParameterPerturbation.Create(options.Adv, model, options.Eps, options.Alpha, options.AdvSteps);
        using var optimizer = optim.Adam(model.parameters(), options.Lr);
        var history = new TrainingLoop<EpochMetrics>(corpus.Train.Count, options.BatchSize, options.Epochs, options.Seed)
        {
            OnBatch = OnBatch,
            OnEpoch = OnEpoch,
        }.Run(new TextRun(model, optimizer, perturbation, corpus, options));
        var finalTest = Evaluate(model, corpus.Test);
        var finalVal = Evaluate(model, corpus.Val);
        var robust = options.AttackEps.Order()
            .Select(e => new RobustPoint(e, new EmbeddingPgd(e, options.AttackSteps).RobustAccuracy(model, corpus.Test))).ToList();
        return new TextTrainResult(model, history, finalTest.Accuracy, finalVal.Accuracy, robust, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Mean cross-entropy and accuracy of the model (eval mode) over a split.</summary>
    public static (double Loss, double Accuracy) Evaluate(TextCnn model, SentimentDataset data, int batchSize = 300)
    {
        var wasTraining = model.training;
        model.eval();
        double lossSum = 0;
        long correct = 0;
        foreach (var idx in Batching.Sequential(data.Count, batchSize))
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var (ids, y) = data.Batch(idx);
            var logits = model.call(ids);
            lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
            correct += logits.argmax(1).eq(y).sum().item<long>();
        }
        model.train(wasTraining);
        return (lossSum / data.Count, (double)correct / data.Count);
    }
}
