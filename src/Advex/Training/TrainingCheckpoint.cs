namespace Advex.Training;

using System.Text.Json;
using Advex.IO;
using Advex.Models;

/// <summary>
/// The checkpoint of every trainer: <c>&lt;out&gt;/checkpoint/</c>, one generation folder per epoch named by
/// <c>checkpoint/current</c> (<see cref="Checkpoint"/>), holding the trainer's files and <c>state.json</c>, which is
/// written last.
/// </summary>
public static class TrainingCheckpoint
{
    public const string Dir = "checkpoint";
    public const string StateFile = "state.json";

    /// <summary>Commits epoch <paramref name="epoch"/>: the run's files, then its state record.</summary>
    public static void Commit<TState>(string checkpointDir, int epoch, Action<string> save, TState state) =>
        Checkpoint.Commit(checkpointDir, epoch, dir =>
        {
            save(dir);
            AtomicFile.WriteAllText(Path.Combine(dir, StateFile), JsonSerializer.Serialize(state, ModelStore.Json));
        });

    /// <summary>The committed state record and the generation folder it is in.</summary>
    public static (TState State, string Dir) Read<TState>(string checkpointDir)
    {
        var dir = Checkpoint.Committed(checkpointDir)
                  ?? throw new AdvexException($"nothing to resume: no checkpoint in {checkpointDir}");
        var statePath = Path.Combine(dir, StateFile);
        if (!IO.InputFile.Exists(statePath, "training state")) throw new AdvexException($"checkpoint {dir} has no {StateFile}");
        return (IO.JsonFile.Read<TState>(statePath, "training state", ModelStore.Json), dir);
    }
}
