namespace Advex.Training;

using System.Diagnostics;
using Advex.Data;
using TorchSharp;

/// <summary>
/// The epoch loop every trainer shares. Each epoch visits the <see cref="Count"/> training samples in the batches of
/// <see cref="Batching.Epoch"/> (shuffled from (seed, epoch), so a resumed run sees the same batches), checks
/// <see cref="Interruption"/> before every batch, runs the run's step in its own dispose scope, reports
/// <see cref="OnBatch"/>, asks the run for the epoch's figures, commits a checkpoint when there is an output folder,
/// reports <see cref="OnEpoch"/> and honours the run's stop rule. Resume reads the committed checkpoint back, refuses
/// one made with other settings (naming them) and continues after its last epoch.
/// </summary>
public sealed record TrainingLoop<TFigures>(int Count, int BatchSize, int Epochs, int Seed)
{
    /// <summary>Called after every batch with (epoch, batch, batches).</summary>
    public Action<int, int, int>? OnBatch { get; init; }

    /// <summary>Called after every epoch, once its checkpoint is committed.</summary>
    public Action<TFigures>? OnEpoch { get; init; }

    /// <summary>Whether a checkpoint that already has every epoch may be resumed (no epoch runs; the trainer writes
    /// its outputs again, e.g. after a crash between the last checkpoint and the final model). When false such a
    /// resume is refused as asking for nothing.</summary>
    public bool ResumeFinished { get; init; }

    /// <summary>Trains every epoch without checkpoints; returns the figures of every epoch.</summary>
    public List<TFigures> Run(ITrainingRun<TFigures> run) => Train(run, 1, [], null);

    /// <summary>Trains with a checkpoint in <c>&lt;outDir&gt;/checkpoint</c> after every epoch (none without
    /// <paramref name="outDir"/>), continuing from it when <paramref name="resume"/> is set; returns the figures of
    /// every epoch, the resumed ones included.</summary>
    public List<TFigures> Run<TState>(ICheckpointedRun<TFigures, TState> run, string? outDir, bool resume)
        where TState : ITrainingState<TFigures>
    {
        var checkpointDir = outDir is null ? null : Path.Combine(outDir, TrainingCheckpoint.Dir);
        var history = new List<TFigures>();
        var start = 1;
        if (resume)
        {
            var (saved, dir) = TrainingCheckpoint.Read<TState>(
                checkpointDir ?? throw AdvexException.About("resume needs out-dir, the folder holding the checkpoint", "resume", "out-dir"));
            if (ResumeSetting.Mismatch(run.Settings(saved)) is { } mismatch)
                throw new AdvexException($"checkpoint in {dir} was made with other settings: {mismatch}; resume with the same ones");
            if (saved.Epoch >= Epochs && !ResumeFinished)
                throw new AdvexException($"the checkpoint in {dir} already has {saved.Epoch} epochs; ask for more than {saved.Epoch} epochs");
            run.Restore(saved, dir);
            history.AddRange(saved.History);
            start = saved.Epoch + 1;
            if (history.Count > 0 && run.StopAfter(history[^1])) start = Epochs + 1;
        }
        return Train(run, start, history, checkpointDir is null ? null : (epoch, figures) =>
            TrainingCheckpoint.Commit(checkpointDir, epoch, run.Save, run.StateOf(epoch, figures)));
    }

    private List<TFigures> Train(ITrainingRun<TFigures> run, int start, List<TFigures> history,
        Action<int, List<TFigures>>? commit)
    {
        var batches = Batching.Count(Count, BatchSize);
        for (var epoch = start; epoch <= Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var where = $"in epoch {epoch}; {Kept(epoch, commit != null)}";
            TFigures figures;
            try
            {
                run.BeginEpoch(epoch);
                var number = 0;
                foreach (var indices in Batching.Epoch(Count, BatchSize, Seed, epoch))
                {
                    Interruption.ThrowIfRequested(() => where);
                    using (var scope = torch.NewDisposeScope()) run.Step(new TrainingStep(indices, epoch, ++number, batches));
                    OnBatch?.Invoke(epoch, number, batches);
                }
                figures = run.EndEpoch(epoch, clock);
            }
            catch (InterruptedException stop)
            {
                throw stop.At(where); // stopped inside a step or the epoch's evaluation (an attack): say what is kept
            }
            history.Add(figures);
            commit?.Invoke(epoch, history);
            OnEpoch?.Invoke(figures);
            if (run.StopAfter(figures)) break;
        }
        return history;
    }

    /// <summary>What an interruption in <paramref name="epoch"/> leaves behind.</summary>
    private static string Kept(int epoch, bool checkpoints) =>
        !checkpoints ? "nothing was written"
        : epoch > 1 ? $"the checkpoint of epoch {epoch - 1} is kept (continue with resume)"
        : "no epoch finished, no checkpoint was written";
}
