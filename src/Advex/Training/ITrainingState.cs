namespace Advex.Training;

/// <summary>The part of every checkpoint's <c>state.json</c> that the <see cref="TrainingLoop{TFigures}"/> reads
/// back: the last finished epoch and the figures of every epoch so far.</summary>
public interface ITrainingState<TFigures>
{
    int Epoch { get; }

    List<TFigures> History { get; }
}
