namespace Advex.Workflows;

using Advex.Training;

/// <summary>One class's test accuracy after training.</summary>
public sealed record ClassAccuracy(int Class, string Name, double Accuracy);

/// <summary>
/// The <c>training.json</c> that <c>advex train</c> writes (DESIGN §8): the final test accuracy, the per-epoch
/// figures (<c>epochs</c>), per-class accuracy, the data spec and the options; for adversarial training also its
/// settings, the early-stopping outcome and the wall time.
/// </summary>
public sealed record TrainingSummary(double TestAccuracy, List<EpochMetrics> Epochs, List<ClassAccuracy> PerClass,
    string Data, TrainOptions Options, Defenses.AdversarialTraining? Adversarial = null,
    Defenses.EarlyStopping.Snapshot? EarlyStopping = null, double WallSeconds = 0);
