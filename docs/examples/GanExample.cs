namespace Advex.Examples;

using Advex.Generative;
using Advex.Workflows;

/// <summary>`advex gan train --scorer model` as a library call (step 001 of the original notes): a GAN with a sample grid per epoch, curves
/// and the MNIST Inception Score by a given classifier.</summary>
public static class GanExample
{
    public static GanSummary Run(string scorer, string outDir, int trainImages = 1000)
    {
        var options = new GanOptions { Architecture = "dcgan-small", Epochs = 1, ScoreSamples = 200 };
        var summary = GanWorkflow.Run(new GanJob { Limit = trainImages, Options = options, Scorer = scorer, OutDir = outDir });
        Console.WriteLine($"Inception Score after {summary.Epochs.Count} epoch(s): {summary.InceptionScore:F3}");
        return summary;
    }
}
