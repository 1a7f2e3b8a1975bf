namespace Advex.Training;

/// <summary>
/// A <see cref="ITrainingRun{TFigures}"/> that survives a resume. After every epoch the loop commits one checkpoint
/// generation holding the run's files (<see cref="Save"/>) and <c>state.json</c> (<see cref="StateOf"/>, written
/// last); on resume it reads <c>state.json</c> back, refuses a checkpoint whose <see cref="Settings"/> differ from the
/// ones asked for, and hands the rest to <see cref="Restore"/>.
/// </summary>
public interface ICheckpointedRun<TFigures, TState> : ITrainingRun<TFigures>
    where TState : ITrainingState<TFigures>
{
    /// <summary>The record written as <c>state.json</c> after <paramref name="epoch"/>.</summary>
    TState StateOf(int epoch, List<TFigures> history);

    /// <summary>Writes the run's own files (weights, optimizer state, hook state) into the generation folder.</summary>
    void Save(string dir);

    /// <summary>The settings a resumed run must share with the checkpoint: as recorded in it, and as asked now.</summary>
    IEnumerable<ResumeSetting> Settings(TState saved);

    /// <summary>Loads the run's files and state from the committed generation folder.</summary>
    void Restore(TState saved, string dir);
}
