namespace Advex.Reporting;

using Advex.Training;

/// <summary>Learning curves of a training run: loss.png and accuracy.png (train and test per epoch).</summary>
public static class TrainingFigures
{
    public const string LossPlot = "loss.png";
    public const string AccuracyPlot = "accuracy.png";

    public static void Write(string dir, IReadOnlyList<EpochMetrics> history)
    {
        if (history.Count == 0) return;
        var x = history.Select(m => (double)m.Epoch).ToArray();
        LinePlot.Save(Path.Combine(dir, LossPlot), "Loss", "epoch", "cross-entropy",
        [
            new("train", x, history.Select(m => m.TrainLoss).ToArray()),
            new("test", x, history.Select(m => m.TestLoss).ToArray()),
        ]);
        var acc = new List<LinePlot.Series>
        {
            new("train", x, history.Select(m => m.TrainAccuracy).ToArray()),
            new("test", x, history.Select(m => m.TestAccuracy).ToArray()),
        };
        foreach (var key in history.SelectMany(m => m.Extra.Keys).Distinct())
            acc.Add(new(key, x, history.Select(m => m.Extra.GetValueOrDefault(key, double.NaN)).ToArray()));
        LinePlot.Save(Path.Combine(dir, AccuracyPlot), "Accuracy", "epoch", "accuracy", acc);
    }
}
