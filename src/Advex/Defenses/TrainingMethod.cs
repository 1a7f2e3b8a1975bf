namespace Advex.Defenses;

using Advex.Models;
using Advex.Training;
using static TorchSharp.torch;

/// <summary>
/// One entry of <see cref="TrainingMethodRegistry"/>: an adversarial-training method as <c>train --adv</c> names it.
/// </summary>
/// <param name="Name">the name taken by <see cref="AdversarialTraining"/> and <c>--adv</c></param>
/// <param name="Description">one line for help text and docs: what the inner attack is, and whose method it is</param>
/// <param name="SingleStep">true when the inner attack takes exactly one gradient step (GradAlign applies only then)</param>
/// <param name="AlphaRule">the default step size as help text shows it, e.g. "1.25·ε" or "2.5·ε/K"</param>
/// <param name="DefaultAlpha">the default step size α from (ε, steps K)</param>
/// <param name="Loss">the training loss of one batch, with the graph to the model's parameters; the model's mode
/// (train during training) is the same afterwards</param>
public sealed record TrainingMethod(
    string Name,
    string Description,
    bool SingleStep,
    string AlphaRule,
    Func<double, int, double> DefaultAlpha,
    Func<AdversarialBatch, Tensor> Loss)
{
    /// <summary>Steps K when none are given: 1 for single-step methods, else 10.</summary>
    public int DefaultSteps { get; init; } = SingleStep ? 1 : 10;

    /// <summary>True when the method keeps each training sample's last perturbation across epochs
    /// (<see cref="PerturbationMemory"/>), which checkpoints then save and resume restores.</summary>
    public bool PerSampleState { get; init; }
}

/// <summary>What a <see cref="TrainingMethod"/>'s loss works on: the model, the batch (images, labels, their indices
/// in the training set, epoch), the validated options, the per-sample memory (used only by methods with
/// <see cref="TrainingMethod.PerSampleState"/>) and this epoch's random generator.</summary>
public readonly record struct AdversarialBatch(Classifier Model, TrainingBatch Batch, AdversarialTraining Options,
    PerturbationMemory Memory, Generator Rng)
{
    public Tensor X => Batch.X;
    public Tensor Y => Batch.Y;
}
