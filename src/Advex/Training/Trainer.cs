namespace Advex.Training;

using System.Diagnostics;
using System.Text.Json;
using Advex.Data;
using Advex.IO;
using Advex.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>The outcome of training: the final model, per-epoch history and the final clean test figures.</summary>
public sealed record TrainResult(Classifier Model, IReadOnlyList<EpochMetrics> History, double TestAccuracy,
    double[] PerClassAccuracy);

/// <summary>
/// Trains a native classifier with Adam or SGD (momentum, Nesterov, weight decay) and an optional
/// reduce-on-plateau or one-cycle schedule. Hooks (batch loss, per-epoch figures, stop rule, checkpointed hook
/// state, final-weights choice) let adversarial training (<c>Advex.Defenses.Hardening</c>) plug in. Writes a checkpoint after every epoch (model, optimizer, schedule, history) so that
/// <c>resume</c> continues exactly; the same seed gives bit-identical weights on CPU.
/// </summary>
public sealed record Trainer
{
    public const string CheckpointDir = "checkpoint";

    /// <summary>Called after every batch with (epoch, batch, batches).</summary>
    public Action<int, int, int>? OnBatch { get; init; }

    /// <summary>Called after every epoch.</summary>
    public Action<EpochMetrics>? OnEpoch { get; init; }

    /// <summary>The loss of one training batch (model in train mode); default cross-entropy. Adversarial training
    /// replaces it.</summary>
    public Func<Classifier, TrainingBatch, Tensor>? BatchLoss { get; init; }

    /// <summary>Extra figures per epoch (e.g. PGD accuracy on a held-out slice), computed after the epoch.</summary>
    public Func<Classifier, int, Dictionary<string, double>>? EpochExtra { get; init; }

    /// <summary>Stops training early when it returns true after an epoch (e.g. early stopping on robust accuracy);
    /// may also ask to keep the weights of an earlier epoch by returning true and having saved them itself.</summary>
    public Func<EpochMetrics, bool>? StopAfter { get; init; }

    /// <summary>State of the hooks above that must survive a resume; saved with every checkpoint.</summary>
    public ICheckpointState? State { get; init; }

    /// <summary>Called once after the last epoch, before the final evaluation and save (e.g. to restore the weights
    /// of the best epoch).</summary>
    public Action<Classifier>? BeforeFinal { get; init; }

    public TrainResult Train(Dataset train, Dataset test, TrainOptions options, string? outDir = null, bool resume = false,
        Dictionary<string, object?>? provenance = null)
    {
        options.Validate();
        Native.TorchRuntime.EnsureLoaded();
        torch.manual_seed(options.Seed);
        var module = Architectures.Create(options.Architecture, train.InputShape, train.Classes);
        var model = new Classifier(module, train.InputShape, train.Classes, options.Normalization,
            architecture: options.Architecture);
        using var optimizer = CreateOptimizer(module, options);
        var plateau = new ReduceLrOnPlateau(options.PlateauFactor, options.PlateauPatience, options.MinLr);
        var history = new List<EpochMetrics>();
        var lr = options.Lr;
        var start = 1;
        if (resume)
        {
            if (outDir is null) throw new AdvexException("--resume needs --out <dir> holding a checkpoint");
            var (state, dir) = LoadCheckpoint(outDir, module, optimizer, options);
            history.AddRange(state.History);
            (lr, plateau.Best, plateau.BadEpochs) = (state.Lr, state.PlateauBest, state.PlateauBadEpochs);
            start = state.Epoch + 1;
            State?.Load(dir);
            if (history.Count > 0 && StopAfter?.Invoke(history[^1]) == true) start = options.Epochs + 1;
        }

        for (var epoch = start; epoch <= options.Epochs; epoch++)
        {
            SetLr(optimizer, lr);
            var clock = Stopwatch.StartNew();
            var kept = outDir is null ? "nothing was written"
                : epoch > 1 ? $"the checkpoint of epoch {epoch - 1} is kept (continue with resume)"
                : "no epoch finished, no checkpoint was written";
            var (trainLoss, trainAcc) = RunEpoch(model, optimizer, train, options, epoch, kept);
            if (options.LrSchedule == "one-cycle") lr = optimizer.ParamGroups.First().LearningRate;
            var testSummary = ClassifierMetrics.Evaluate(model, test);
            var metrics = new EpochMetrics(epoch, trainLoss, trainAcc, testSummary.Loss, testSummary.Accuracy, lr,
                clock.Elapsed.TotalSeconds)
            {
                Extra = EpochExtra?.Invoke(model, epoch) ?? [],
            };
            history.Add(metrics);
            if (options.Plateau) lr = plateau.Step(testSummary.Loss, lr);
            if (outDir != null)
                SaveCheckpoint(outDir, model, optimizer, new CheckpointState(epoch, lr, plateau.Best, plateau.BadEpochs,
                    history, options.Seed, options.Architecture));
            OnEpoch?.Invoke(metrics);
            if (StopAfter?.Invoke(metrics) == true) break;
        }
        BeforeFinal?.Invoke(model);

        var final = ClassifierMetrics.Evaluate(model, test);
        var perClass = ClassifierMetrics.PerClassAccuracy(test.LabelArray, final.Predictions, test.Classes);
        if (outDir != null)
        {
            var manifest = ModelStore.ManifestFor(model, train.ClassNames) with
            {
                Training = new Dictionary<string, object?>(provenance ?? [])
                {
                    ["data"] = train.Spec, ["seed"] = options.Seed, ["epochs"] = history.Count,
                    ["optimizer"] = options.Optimizer, ["lr"] = options.Lr, ["batch_size"] = options.BatchSize,
                },
                Metrics = new Dictionary<string, double> { ["test_accuracy"] = final.Accuracy, ["test_loss"] = final.Loss },
            };
            ModelStore.Save(model, outDir, manifest);
        }
        return new TrainResult(model, history, final.Accuracy, perClass);
    }

    private (double Loss, double Accuracy) RunEpoch(Classifier model, OptimizerHelper optimizer, Dataset train,
        TrainOptions options, int epoch, string kept)
    {
        model.Module.train();
        double lossSum = 0;
        long correct = 0;
        var batches = Batching.Count(train.Count, options.BatchSize);
        var b = 0;
        foreach (var idx in Batching.Epoch(train.Count, options.BatchSize, options.Seed, epoch))
        {
            Interruption.ThrowIfRequested(() => $"in epoch {epoch}; {kept}");
            using var scope = NewDisposeScope();
            var (x, y) = train.Batch(idx);
            if (options.LrSchedule == "one-cycle")
                SetLr(optimizer, OneCycle.Lr(options.Lr, ((epoch - 1) * batches + b + 1) / (double)(options.Epochs * batches)));
            optimizer.zero_grad();
            Tensor loss;
            if (BatchLoss is null)
            {
                var logits = model.Logits(x);
                loss = nn.functional.cross_entropy(logits, y);
                using (no_grad()) correct += logits.argmax(1).eq(y).sum().item<long>();
            }
            else
            {
                loss = BatchLoss(model, new TrainingBatch(x, y, idx, epoch));
                model.Module.train();
                using (no_grad()) correct += model.Predict(x).eq(y).sum().item<long>();
                model.Module.train();
            }
            loss.backward();
            optimizer.step();
            lossSum += loss.item<float>() * idx.Length;
            OnBatch?.Invoke(epoch, ++b, batches);
        }
        model.Module.eval();
        return (lossSum / train.Count, (double)correct / train.Count);
    }

    private static OptimizerHelper CreateOptimizer(nn.Module module, TrainOptions o) => o.Optimizer switch
    {
        "sgd" => optim.SGD(module.parameters(), o.Lr, o.Momentum, 0, o.WeightDecay, o.Nesterov),
        _ => optim.Adam(module.parameters(), o.Lr, weight_decay: o.WeightDecay),
    };

    private static void SetLr(OptimizerHelper optimizer, double lr)
    {
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
    }

    private sealed record CheckpointState(int Epoch, double Lr, double PlateauBest, int PlateauBadEpochs,
        List<EpochMetrics> History, int Seed, string Architecture);

    /// <summary>The model, optimizer, trainer state and hook state of one epoch, committed as one unit.</summary>
    private void SaveCheckpoint(string outDir, Classifier model, OptimizerHelper optimizer, CheckpointState state) =>
        Checkpoint.Commit(Path.Combine(outDir, CheckpointDir), state.Epoch, dir =>
        {
            State?.Save(dir);
            AtomicFile.Write(Path.Combine(dir, "model.bin"), tmp => model.Module.save(tmp));
            AtomicFile.Write(Path.Combine(dir, "optimizer.bin"), tmp => optimizer.save_state_dict(tmp));
            AtomicFile.WriteAllText(Path.Combine(dir, "state.json"), JsonSerializer.Serialize(state, ModelStore.Json));
        });

    private static (CheckpointState State, string Dir) LoadCheckpoint(string outDir, nn.Module module,
        OptimizerHelper optimizer, TrainOptions o)
    {
        var dir = Checkpoint.Committed(Path.Combine(outDir, CheckpointDir))
                  ?? throw new AdvexException($"nothing to resume: no checkpoint in {Path.Combine(outDir, CheckpointDir)}");
        var statePath = Path.Combine(dir, "state.json");
        var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(statePath), ModelStore.Json)
                    ?? throw new AdvexException($"checkpoint {statePath} is empty");
        if (state.Architecture != o.Architecture || state.Seed != o.Seed)
            throw new AdvexException(
                $"checkpoint in {dir} was made with --model {state.Architecture} --seed {state.Seed}; resume with the same options");
        module.load(Path.Combine(dir, "model.bin"));
        optimizer.load_state_dict(Path.Combine(dir, "optimizer.bin"));
        return (state, dir);
    }
}
