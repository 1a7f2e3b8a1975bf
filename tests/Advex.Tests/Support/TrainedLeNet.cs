namespace Advex.Tests.Support;

using Advex.Data;
using Advex.Models;
using Advex.Training;

/// <summary>
/// One LeNet per test run, trained on the first 12,000 MNIST training images for 2 epochs (seed 0, a few seconds),
/// and the first 512 MNIST test images to attack. Shared through the "lenet" collection.
/// </summary>
public sealed class TrainedLeNet : IDisposable
{
    public TrainedLeNet()
    {
        using var fullTrain = DataSource.Load("mnist", "train");
        using var train = fullTrain.Take(12_000);
        using var fullTest = DataSource.Load("mnist", "test");
        Test = fullTest.Take(512);
        var result = new Trainer().Train(train, Test, new TrainOptions { Epochs = 2, Seed = 0 });
        Model = result.Model;
        CleanAccuracy = result.TestAccuracy;
    }

    public Classifier Model { get; }
    public Dataset Test { get; }
    public double CleanAccuracy { get; }

    public void Dispose()
    {
        Model.Dispose();
        Test.Dispose();
    }
}

[CollectionDefinition("lenet")]
public sealed class LeNetCollection : ICollectionFixture<TrainedLeNet>;
