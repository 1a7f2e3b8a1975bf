namespace Advex.Training;

/// <summary>
/// Extra state a training hook keeps across epochs (e.g. early stopping's best epoch and weights). The trainer saves
/// it with every checkpoint and loads it on resume, so a resumed run continues exactly.
/// </summary>
public interface ICheckpointState
{
    /// <summary>Writes the state into the checkpoint folder (atomically).</summary>
    void Save(string checkpointDir);

    /// <summary>Reads the state back from the checkpoint folder.</summary>
    void Load(string checkpointDir);
}
