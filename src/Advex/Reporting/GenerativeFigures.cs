namespace Advex.Reporting;

using Advex.Generative;

/// <summary>Figures of GAN and AdvGAN training: loss curves, discriminator outputs, scores and sample grids.</summary>
public static class GenerativeFigures
{
    public const string LossPlot = "loss.png";
    public const string LatestSamples = "samples.png";

    public static string SamplesFor(int epoch) => $"samples_epoch_{epoch:000}.png";

    /// <summary>loss.png (D and G), d_outputs.png (mean D(x), D(G(z))) and, when scored, inception_score.png.</summary>
    public static void WriteGanCurves(string dir, IReadOnlyList<GanEpoch> history)
    {
        if (history.Count == 0) return;
        var x = history.Select(m => (double)m.Epoch).ToArray();
        LinePlot.Save(Path.Combine(dir, LossPlot), "GAN losses", "epoch", "BCE",
        [
            new("discriminator", x, history.Select(m => m.DLoss).ToArray()),
            new("generator", x, history.Select(m => m.GLoss).ToArray()),
        ]);
        LinePlot.Save(Path.Combine(dir, "d_outputs.png"), "Discriminator outputs", "epoch", "mean probability of real",
        [
            new("D(x)", x, history.Select(m => m.DReal).ToArray()),
            new("D(G(z))", x, history.Select(m => m.DFake).ToArray()),
        ], 0, 1);
        if (history.All(m => m.InceptionScore is not null))
            LinePlot.Save(Path.Combine(dir, "inception_score.png"), "MNIST Inception Score", "epoch", "IS",
                [new("MNIST-IS", x, history.Select(m => m.InceptionScore!.Value).ToArray())], 1, 10);
    }

    /// <summary>The fixed-noise samples of an epoch, captioned with the scorer's class when there is one.</summary>
    public static void WriteGanSamples(string path, GanSamples samples, int epoch, int columns = 8)
    {
        var rows = new List<ImageGrid.Row>();
        for (var start = 0; start < samples.Pixels.Count; start += columns)
        {
            var cells = Enumerable.Range(start, Math.Min(columns, samples.Pixels.Count - start))
                .Select(i => new ImageGrid.Cell(samples.Pixels[i], samples.Predictions is { } p ? p[i].ToString() : ""))
                .ToList();
            rows.Add(new ImageGrid.Row(start == 0 ? $"epoch {epoch}" : "", cells));
        }
        var s = samples.ImageShape;
        ImageGrid.Save(path, rows, (int)s[0], (int)s[1], (int)s[2], title: $"GAN samples (fixed noise), epoch {epoch}");
    }

    /// <summary>loss.png (D, G's GAN, adversarial and perturbation terms) and success.png (train and held-out).</summary>
    public static void WriteAdvGanCurves(string dir, IReadOnlyList<AdvGanEpoch> history)
    {
        if (history.Count == 0) return;
        var x = history.Select(m => (double)m.Epoch).ToArray();
        LinePlot.Save(Path.Combine(dir, LossPlot), "AdvGAN losses", "epoch", "loss",
        [
            new("D (LSGAN)", x, history.Select(m => m.DLoss).ToArray()),
            new("G GAN (LSGAN)", x, history.Select(m => m.GGanLoss).ToArray()),
            new("C&W margin", x, history.Select(m => m.AdvLoss).ToArray()),
            new("perturbation L2", x, history.Select(m => m.PertLoss).ToArray()),
        ]);
        var success = new List<LinePlot.Series> { new("train", x, history.Select(m => m.TrainSuccess).ToArray()) };
        if (history.All(m => m.TestSuccess is not null))
            success.Add(new("held-out", x, history.Select(m => m.TestSuccess!.Value).ToArray()));
        LinePlot.Save(Path.Combine(dir, "success.png"), "AdvGAN attack success", "epoch", "success rate", success, 0, 1);
    }

    /// <summary>Clean images (captioned with the label), adversarial images (captioned with the prediction, red when
    /// fooled) and δ mapped from [−ε, ε] to [0, 1].</summary>
    public static void WriteAdvGanSamples(string path, AdvGanSamples samples, double eps, int epoch)
    {
        var n = samples.Clean.Count;
        var clean = Enumerable.Range(0, n).Select(i => new ImageGrid.Cell(samples.Clean[i], $"{samples.Labels[i]}")).ToList();
        var adv = Enumerable.Range(0, n).Select(i => new ImageGrid.Cell(samples.Adversarial[i], $"→ {samples.Predictions[i]}",
            samples.Predictions[i] != samples.Labels[i])).ToList();
        var delta = Enumerable.Range(0, n).Select(i => new ImageGrid.Cell(
            samples.Adversarial[i].Zip(samples.Clean[i], (a, c) => (float)(0.5 + (a - c) / (2 * eps))).ToArray(), "")).ToList();
        var s = samples.ImageShape;
        ImageGrid.Save(path, [new("clean", clean), new("AdvGAN", adv), new("δ (±ε)", delta)], (int)s[0], (int)s[1], (int)s[2],
            title: $"AdvGAN, epoch {epoch} (ε = {eps})");
    }
}
