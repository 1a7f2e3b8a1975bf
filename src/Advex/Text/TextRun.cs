namespace Advex.Text;

using System.Diagnostics;
using Advex.Data;
using Advex.Defenses;
using Advex.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// <see cref="TextTrainer"/>'s part of the training loop: per batch one Adam step on the clean cross-entropy, plus
/// the adversarial gradient of the embedding perturbation when there is one. Per epoch: the clean train loss and
/// accuracy (train mode), the test figures, <c>val_accuracy</c> and, when training adversarially, <c>adv_loss</c>.
/// </summary>
internal sealed class TextRun(TextCnn model, OptimizerHelper optimizer, ParameterPerturbation? perturbation,
    SentimentCorpus corpus, TextTrainOptions options) : ITrainingRun<EpochMetrics>
{
    private double lossSum, advSum;
    private long correct;

    public void BeginEpoch(int epoch)
    {
        model.train();
        (lossSum, advSum, correct) = (0, 0, 0);
    }

    public void Step(TrainingStep step)
    {
        var (ids, y) = corpus.Train.Batch(step.Indices);
        optimizer.zero_grad();
        var logits = model.call(ids);
        var loss = nn.functional.cross_entropy(logits, y);
        loss.backward();
        if (perturbation != null)
            advSum += perturbation.AccumulateAdversarialGradient(() => nn.functional.cross_entropy(model.call(ids), y)) * step.Indices.Length;
        optimizer.step();
        lossSum += loss.item<float>() * step.Indices.Length;
        using (no_grad()) correct += logits.argmax(1).eq(y).sum().item<long>();
    }

    public EpochMetrics EndEpoch(int epoch, Stopwatch clock)
    {
        model.eval();
        var count = corpus.Train.Count;
        var (loss, accuracy, advLoss) = (lossSum / count, (double)correct / count, advSum / count);
        var test = TextTrainer.Evaluate(model, corpus.Test);
        var val = TextTrainer.Evaluate(model, corpus.Val);
        var extra = new Dictionary<string, double> { ["val_accuracy"] = val.Accuracy };
        if (perturbation != null) extra["adv_loss"] = advLoss;
        return new EpochMetrics(epoch, loss, accuracy, test.Loss, test.Accuracy, options.Lr, clock.Elapsed.TotalSeconds)
        {
            Extra = extra,
        };
    }
}
