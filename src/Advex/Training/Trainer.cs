namespace Advex.Training;

using Advex.Data;
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
/// state, final-weights choice) let adversarial training (<c>Advex.Defenses.Hardening</c>) plug in. The epochs run in
/// the shared <see cref="TrainingLoop{TFigures}"/> (its step is <see cref="ClassifierRun"/>), which writes a checkpoint
/// after every epoch (model, optimizer, schedule, history, hook state) so that <c>resume</c> continues exactly; the
/// same seed gives bit-identical weights on CPU.
/// </summary>
public sealed record Trainer
{
    public const string CheckpointDir = TrainingCheckpoint.Dir;

    /// <summary>Called after every batch with (epoch, batch, batches).</summary>
    public Action<int, int, int>? OnBatch { get; init; }

    /// <summary>Called after every epoch.</summary>
    public Action<EpochMetrics>? OnEpoch { get; init; }

    /// <summary>Called once when training resumes, with the last epoch of the checkpoint and its folder.</summary>
    public Action<int, string>? OnResume { get; init; }

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
        var loop = new TrainingLoop<EpochMetrics>(train.Count, options.BatchSize, options.Epochs, options.Seed)
        {
            OnBatch = OnBatch,
            OnEpoch = OnEpoch,
            OnResume = OnResume,
            ResumeFinished = true,
        };
        var history = loop.Run(new ClassifierRun(this, model, optimizer, train, test, options), outDir, resume);
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

    private static OptimizerHelper CreateOptimizer(nn.Module module, TrainOptions o) => o.Optimizer switch
    {
        "sgd" => optim.SGD(module.parameters(), o.Lr, o.Momentum, 0, o.WeightDecay, o.Nesterov),
        _ => optim.Adam(module.parameters(), o.Lr, weight_decay: o.WeightDecay),
    };
}
