namespace Advex.Training;

using System.Diagnostics;
using Advex.Data;
using Advex.IO;
using Advex.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// <see cref="Trainer"/>'s part of the training loop: one optimizer step per batch on the trainer's batch loss
/// (cross-entropy unless a hook replaces it), the per-batch one-cycle or per-epoch plateau learning rate, the clean
/// test figures and the hooks' extra figures per epoch, and a checkpoint of the model, the optimizer, the schedule
/// and the hooks' state.
/// </summary>
internal sealed class ClassifierRun(Trainer hooks, Classifier model, OptimizerHelper optimizer, Dataset train,
    Dataset test, TrainOptions options) : ICheckpointedRun<EpochMetrics, ClassifierRun.State>
{
    private readonly ReduceLrOnPlateau plateau = new(options.PlateauFactor, options.PlateauPatience, options.MinLr);
    private readonly int batches = Batching.Count(train.Count, options.BatchSize);
    private double lr = options.Lr;
    private double lossSum;
    private long correct;

    /// <summary>The <c>state.json</c> of a classifier checkpoint.</summary>
    internal sealed record State(int Epoch, double Lr, double PlateauBest, int PlateauBadEpochs,
        List<EpochMetrics> History, int Seed, string Architecture, double NoiseSigma = 0) : ITrainingState<EpochMetrics>;

    public void BeginEpoch(int epoch)
    {
        SetLr(lr);
        model.Module.train();
        (lossSum, correct) = (0, 0);
    }

    public void Step(TrainingStep step)
    {
        var (x, y) = train.Batch(step.Indices);
        if (options.NoiseSigma > 0) x = GaussianAugmentation(x, step);
        if (options.LrSchedule == "one-cycle")
            SetLr(OneCycle.Lr(options.Lr, ((step.Epoch - 1) * batches + step.Number) / (double)(options.Epochs * batches)));
        optimizer.zero_grad();
        Tensor loss;
        if (hooks.BatchLoss is null)
        {
            var logits = model.Logits(x);
            loss = nn.functional.cross_entropy(logits, y);
            using (no_grad()) correct += logits.argmax(1).eq(y).sum().item<long>();
        }
        else
        {
            loss = hooks.BatchLoss(model, new TrainingBatch(x, y, step.Indices, step.Epoch));
            model.Module.train();
            using (no_grad()) correct += model.Predict(x).eq(y).sum().item<long>();
        }
        loss.backward();
        optimizer.step();
        lossSum += loss.item<float>() * step.Indices.Length;
    }

    /// <summary>x + σ·N(0, I), drawn per (seed, sample, epoch) from the counter RNG, so the noise does not depend on
    /// the batch a sample falls in.</summary>
    private Tensor GaussianAugmentation(Tensor x, TrainingStep step)
    {
        using var rng = Attacks.Core.AttackContext.For(options.Seed, step.Indices).Stream($"gaussian-augmentation/{step.Epoch}");
        return x + rng.Normal(x.shape).mul_(options.NoiseSigma);
    }

    public EpochMetrics EndEpoch(int epoch, Stopwatch clock)
    {
        model.Module.eval();
        var (trainLoss, trainAccuracy) = (lossSum / train.Count, (double)correct / train.Count);
        if (options.LrSchedule == "one-cycle") lr = optimizer.ParamGroups.First().LearningRate;
        var figures = ClassifierMetrics.Evaluate(model, test);
        var metrics = new EpochMetrics(epoch, trainLoss, trainAccuracy, figures.Loss, figures.Accuracy, lr,
            clock.Elapsed.TotalSeconds)
        {
            Extra = hooks.EpochExtra?.Invoke(model, epoch) ?? [],
        };
        if (options.Plateau) lr = plateau.Step(figures.Loss, lr);
        return metrics;
    }

    public bool StopAfter(EpochMetrics figures) => hooks.StopAfter?.Invoke(figures) == true;

    public State StateOf(int epoch, List<EpochMetrics> history) =>
        new(epoch, lr, plateau.Best, plateau.BadEpochs, history, options.Seed, options.Architecture, options.NoiseSigma);

    public void Save(string dir)
    {
        hooks.State?.Save(dir);
        AtomicFile.Write(Path.Combine(dir, "model.bin"), tmp => model.Module.save(tmp));
        AtomicFile.Write(Path.Combine(dir, "optimizer.bin"), tmp => optimizer.save_state_dict(tmp));
    }

    public IEnumerable<ResumeSetting> Settings(State saved) =>
    [
        ResumeSetting.Of("architecture", saved.Architecture, options.Architecture),
        ResumeSetting.Of("seed", saved.Seed, options.Seed),
        ResumeSetting.Of("noise-sigma", saved.NoiseSigma, options.NoiseSigma),
    ];

    public void Restore(State saved, string dir)
    {
        model.Module.load(Path.Combine(dir, "model.bin"));
        optimizer.load_state_dict(Path.Combine(dir, "optimizer.bin"));
        (lr, plateau.Best, plateau.BadEpochs) = (saved.Lr, saved.PlateauBest, saved.PlateauBadEpochs);
        hooks.State?.Load(dir);
    }

    private void SetLr(double value)
    {
        foreach (var g in optimizer.ParamGroups) g.LearningRate = value;
    }
}
