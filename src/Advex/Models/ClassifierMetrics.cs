namespace Advex.Models;

using Advex.Data;
using static TorchSharp.torch;

/// <summary>Clean loss, accuracy and predictions of a classifier over a dataset, batch by batch.</summary>
public static class ClassifierMetrics
{
    public sealed record Summary(double Loss, double Accuracy, long[] Predictions);

    public static Summary Evaluate(Classifier model, Dataset data, int batchSize = 500)
    {
        using var eval = model.EvalMode();
        double lossSum = 0;
        long correct = 0;
        var predictions = new long[data.Count];
        var offset = 0;
        foreach (var idx in Batching.Sequential(data.Count, batchSize))
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var (x, y) = data.Batch(idx);
            var logits = model.Logits(x);
            lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
            var pred = logits.argmax(1);
            correct += pred.eq(y).sum().item<long>();
            pred.data<long>().CopyTo(predictions, offset);
            offset += idx.Length;
        }
        return new Summary(lossSum / data.Count, (double)correct / data.Count, predictions);
    }

    /// <summary>Accuracy per class (NaN for a class without samples).</summary>
    public static double[] PerClassAccuracy(IReadOnlyList<long> labels, IReadOnlyList<long> predictions, int classes)
    {
        var total = new int[classes];
        var right = new int[classes];
        for (var i = 0; i < labels.Count; i++)
        {
            total[labels[i]]++;
            if (labels[i] == predictions[i]) right[labels[i]]++;
        }
        return Enumerable.Range(0, classes).Select(c => total[c] == 0 ? double.NaN : (double)right[c] / total[c]).ToArray();
    }
}
