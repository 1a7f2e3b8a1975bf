namespace Advex.Training;

/// <summary>One step of a <see cref="TrainingLoop{TFigures}"/>: the indices of the batch's samples in the training
/// set, the epoch (1-based), the batch's number in the epoch (1-based) and the epoch's number of batches.</summary>
public readonly record struct TrainingStep(long[] Indices, int Epoch, int Number, int Batches);
