namespace Advex.Defenses;

using System.Text.Json;
using Advex.Attacks;
using Advex.Data;
using Advex.Models;
using Advex.Training;
using static TorchSharp.torch;

/// <summary>
/// Wires <see cref="AdversarialTraining"/> into the <see cref="Trainer"/>'s hooks: the adversarial batch loss, the
/// per-epoch held-out clean and PGD accuracy (<c>heldout_clean_accuracy</c>, <c>heldout_pgd_accuracy</c> in
/// <see cref="EpochMetrics.Extra"/>), early stopping with the best epoch's weights as the final model, and the
/// checkpoint state that makes <c>resume</c> continue exactly (for <c>fgsm-ep</c> this includes every training image's
/// last perturbation, <see cref="PerturbationMemory"/>). Random starts come from a generator seeded per epoch
/// from the training seed, so a resumed run draws the same numbers as an uninterrupted one.
/// </summary>
public sealed class Hardening(AdversarialTraining options, Dataset? heldout, int seed) : ICheckpointState, IDisposable
{
    public const string CleanKey = "heldout_clean_accuracy";
    public const string PgdKey = "heldout_pgd_accuracy";
    private const string StateFile = "early_stopping.json";
    private const string BestFile = "best.bin";
    private const string MemoryFile = "perturbations.bin";

    private readonly EarlyStopping stopping = new(options.CollapseDrop);
    private readonly PerturbationMemory memory = new();
    private WeightSnapshot? best;
    private Generator? rng;
    private int rngEpoch;

    public AdversarialTraining Options => options;

    /// <summary>Early stopping's state (best epoch, best held-out PGD accuracy, collapse epoch).</summary>
    public EarlyStopping.Snapshot EarlyStoppingState => stopping.State;

    /// <summary>Splits off the last <paramref name="heldout"/> training images as the held-out slice.</summary>
    public static (Dataset Train, Dataset Heldout) Split(Dataset train, int heldout)
    {
        if (heldout >= train.Count)
            throw new AdvexException($"heldout {heldout} leaves no training data ({train.Count} training images)");
        return (train.Range(0, train.Count - heldout), train.Range(train.Count - heldout, heldout));
    }

    /// <summary>The trainer with this defense's hooks (its OnBatch/OnEpoch are kept).</summary>
    public Trainer Apply(Trainer trainer) => trainer with
    {
        BatchLoss = Loss,
        EpochExtra = Measure,
        StopAfter = _ => options.EarlyStopping && stopping.Stopped,
        State = this,
        BeforeFinal = RestoreBest,
    };

    public Tensor Loss(Classifier model, TrainingBatch batch)
    {
        var (x, y, epoch) = (batch.X, batch.Y, batch.Epoch);
        if (rng is null || rngEpoch != epoch)
        {
            rng?.Dispose();
            rng = new Generator((ulong)(uint)unchecked(seed * 1_000_003 + epoch));
            rngEpoch = epoch;
        }
        var loss = options.Definition.Loss(new AdversarialBatch(model, batch, options, memory, rng));
        return options.GradAlign > 0 ? loss + options.GradAlign * GradAlign.Penalty(model, x, y, options.Eps, rng) : loss;
    }

    /// <summary>Held-out clean and PGD accuracy (PGD-<see cref="AdversarialTraining.EvalSteps"/>, α = ε/4, random
    /// start, the same random start every epoch); updates early stopping and keeps the best weights.</summary>
    public Dictionary<string, double> Measure(Classifier model, int epoch)
    {
        if (heldout is null || heldout.Count == 0) return [];
        var (clean, robust) = HeldoutAccuracy(model, heldout, options.Eps, options.EvalSteps, seed);
        if (options.EarlyStopping && stopping.Observe(epoch, robust)) best = WeightSnapshot.Of(model.Module);
        return new() { [CleanKey] = clean, [PgdKey] = robust };
    }

    /// <summary>Clean and PGD accuracy of <paramref name="model"/> on <paramref name="data"/>.</summary>
    public static (double Clean, double Pgd) HeldoutAccuracy(Classifier model, Dataset data, double eps, int steps, int seed)
    {
        var attack = new Pgd(eps, Norm.Linf, steps, eps / 4, randomStart: true);
        using var generator = new Generator((ulong)(uint)seed + 17);
        long clean = 0, robust = 0;
        foreach (var idx in Batching.Sequential(data.Count, 500))
        {
            using var scope = NewDisposeScope();
            var (x, y) = data.Batch(idx);
            clean += model.Predict(x).eq(y).sum().item<long>();
            robust += attack.Run(model, x, new Untargeted(y), generator).Predictions.eq(y).sum().item<long>();
        }
        return ((double)clean / data.Count, (double)robust / data.Count);
    }

    public void RestoreBest(Classifier model)
    {
        if (options.EarlyStopping) best?.RestoreInto(model.Module);
    }

    public void Save(string checkpointDir)
    {
        if (best != null) best.Save(Path.Combine(checkpointDir, BestFile));
        IO.AtomicFile.WriteAllText(Path.Combine(checkpointDir, StateFile), JsonSerializer.Serialize(stopping.State));
        if (options.Definition.PerSampleState) memory.Save(Path.Combine(checkpointDir, MemoryFile));
    }

    public void Load(string checkpointDir)
    {
        var statePath = Path.Combine(checkpointDir, StateFile);
        if (!File.Exists(statePath))
            throw new AdvexException($"checkpoint in {checkpointDir} has no adversarial-training state; resume with the same adversarial-training options");
        stopping.Restore(IO.JsonFile.Read<EarlyStopping.Snapshot>(statePath, "adversarial-training state"));
        var bestPath = Path.Combine(checkpointDir, BestFile);
        best = File.Exists(bestPath) ? WeightSnapshot.Load(bestPath) : null;
        var memoryPath = Path.Combine(checkpointDir, MemoryFile);
        if (options.Definition.PerSampleState)
        {
            if (!File.Exists(memoryPath))
                throw new AdvexException(
                    $"checkpoint in {checkpointDir} has no {options.Method} perturbations; resume with the same adversarial-training options");
            memory.Load(memoryPath);
        }
    }

    public void Dispose() => rng?.Dispose();
}
