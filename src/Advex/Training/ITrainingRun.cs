namespace Advex.Training;

using System.Diagnostics;

/// <summary>
/// What a trainer supplies to a <see cref="TrainingLoop{TFigures}"/>: how an epoch starts, one batch's step and the
/// figures of a finished epoch. The loop owns everything around them: the batches of every epoch, the interruption
/// check before each batch, the dispose scope of each step, progress, checkpoints and resume.
/// </summary>
public interface ITrainingRun<TFigures>
{
    /// <summary>Prepares epoch <paramref name="epoch"/> (1-based): train mode, learning rate, the epoch's random
    /// streams, zeroed sums.</summary>
    void BeginEpoch(int epoch);

    /// <summary>Trains on one batch. Runs inside a dispose scope that the loop opens and closes around it.</summary>
    void Step(TrainingStep step);

    /// <summary>Ends the epoch (networks back in eval mode) and returns its figures, evaluation included;
    /// <paramref name="clock"/> has been running since the epoch began.</summary>
    TFigures EndEpoch(int epoch, Stopwatch clock);

    /// <summary>True when no further epoch should run after one with these figures (e.g. early stopping); also asked
    /// of the last epoch of a resumed checkpoint. Never, unless a run says otherwise.</summary>
    bool StopAfter(TFigures figures) => false;
}
