namespace Advex.Training;

using static TorchSharp.torch;

/// <summary>One training batch as the <see cref="Trainer"/> hands it to a batch-loss hook: the images, their labels,
/// their indices in the training set (so a hook can keep per-sample state across epochs) and the epoch (1-based).</summary>
public readonly record struct TrainingBatch(Tensor X, Tensor Y, long[] Indices, int Epoch);
