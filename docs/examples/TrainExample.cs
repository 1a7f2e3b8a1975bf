namespace Advex.Examples;

using Advex.Training;
using Advex.Workflows;

/// <summary>`advex train` as a library call: LeNet on the embedded MNIST, with curves, checkpoints and training.json.</summary>
public static class TrainExample
{
    public static TrainingSummary Run(string outDir, int trainImages = 4000)
    {
        var job = new TrainJob { Limit = trainImages, Options = new TrainOptions { Epochs = 1, Seed = 0 }, OutDir = outDir };
        using var trained = TrainWorkflow.Run(job);             // trained.Model is the classifier, ready to attack
        Console.WriteLine($"test accuracy {trained.Summary.TestAccuracy:P2}; model in {trained.OutDir}");
        return trained.Summary;
    }
}
