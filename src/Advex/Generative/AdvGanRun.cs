namespace Advex.Generative;

using System.Diagnostics;
using System.Text.Json;
using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Data;
using Advex.Models;
using Advex.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// <see cref="AdvGanTrainer"/>'s part of the training loop: per batch δ = G(x), x' = clip(x + clamp(δ, −ε, ε)), one
/// discriminator step on the LSGAN loss and one generator step on L_GAN + adv_lambda·L_adv + pert_lambda·L_pert
/// against the frozen target. Per epoch: the batch means, the fraction of training images fooled, their mean ‖δ‖₂
/// and the held-out success (with <see cref="Samples"/> for the grid); the checkpoint holds both networks, both Adam
/// states, the history and the options.
/// </summary>
internal sealed class AdvGanRun(AdvGanGenerator g, AdvGanDiscriminator d, OptimizerHelper optG, OptimizerHelper optD,
    Classifier target, Dataset train, AdvGanOptions o, Dataset? validation, int gridSamples)
    : ICheckpointedRun<AdvGanEpoch, AdvGanRun.State>
{
    private double dLoss, gan, adv, pert, l2;
    private long fooled;

    /// <summary>The <c>state.json</c> of an AdvGAN checkpoint: <see cref="Options"/> is the options as JSON
    /// (epochs left out).</summary>
    internal sealed record State(int Epoch, List<AdvGanEpoch> History, string Options) : ITrainingState<AdvGanEpoch>;

    /// <summary>The grid of the last finished epoch (null without validation images).</summary>
    public AdvGanSamples? Samples { get; private set; }

    public void BeginEpoch(int epoch)
    {
        g.train();
        d.train();
        (dLoss, gan, adv, pert, l2, fooled) = (0, 0, 0, 0, 0, 0);
    }

    public void Step(TrainingStep step)
    {
        var (x, y) = train.Batch(step.Indices);
        var classes = o.TargetClass is { } t ? Targets.Fixed(t, step.Indices.Length) : y;
        var raw = g.call(x);
        var xAdv = (x + raw.clamp(-o.Eps, o.Eps)).clamp(target.Lower, target.Upper);

        optD.zero_grad();
        var lossD = AdvGanLosses.Discriminator(d.call(x), d.call(xAdv.detach()));
        lossD.backward();
        optD.step();

        optG.zero_grad();
        var lossGan = AdvGanLosses.Generator(d.call(xAdv));
        var logits = target.Logits(xAdv);
        var lossAdv = AdvGanLosses.Margin(logits, classes, o.TargetClass is not null, o.Margin);
        var lossPert = AdvGanLosses.Perturbation(raw, o.HingeBound);
        var lossG = lossGan + o.AdvLambda * lossAdv + o.PertLambda * lossPert;
        lossG.backward();
        optG.step();

        using (no_grad())
        {
            var n = step.Indices.Length;
            dLoss += lossD.item<float>() * n;
            gan += lossGan.item<float>() * n;
            adv += lossAdv.item<float>();
            pert += lossPert.item<float>() * n;
            l2 += LpBall.L2Norms(xAdv - x).sum().item<float>();
            var pred = logits.argmax(1);
            fooled += (o.TargetClass is null ? pred.ne(classes) : pred.eq(classes)).sum().item<long>();
        }
    }

    public AdvGanEpoch EndEpoch(int epoch, Stopwatch clock)
    {
        g.eval();
        d.eval();
        var count = (double)train.Count;
        var (testSuccess, testL2, samples) = Validate();
        Samples = samples;
        return new AdvGanEpoch(epoch, dLoss / count, gan / count, adv / count, pert / count, fooled / count, l2 / count,
            testSuccess, testL2, clock.Elapsed.TotalSeconds);
    }

    public State StateOf(int epoch, List<AdvGanEpoch> history) => new(epoch, history, Fingerprint(o));

    public void Save(string dir) => GanCheckpoint.Save(dir, g, d, optG, optD);

    public IEnumerable<ResumeSetting> Settings(State saved) => ResumeSetting.FromJson(saved.Options, Fingerprint(o));

    public void Restore(State saved, string dir) => GanCheckpoint.Load(dir, g, d, optG, optD);

    private static string Fingerprint(AdvGanOptions options) => JsonSerializer.Serialize(options with { Epochs = 0 });

    /// <summary>Success rate over the held-out images the target classifies correctly, their mean ‖δ‖₂, and the grid.</summary>
    private (double?, double?, AdvGanSamples?) Validate()
    {
        if (validation is null || validation.Count == 0) return (null, null, null);
        long attacked = 0, fooledHeldout = 0;
        double l2Heldout = 0;
        AdvGanSamples? samples = null;
        foreach (var idx in Batching.Sequential(validation.Count, 500))
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var (x, y) = validation.Batch(idx);
            var xAdv = AdvGan.Apply(g, x, o.Eps, target.Lower, target.Upper);
            var clean = target.Predict(x);
            var pred = target.Predict(xAdv);
            var correct = clean.eq(y);
            var success = o.TargetClass is { } t ? pred.eq(t) : pred.ne(y);
            var counted = correct & success;
            attacked += correct.sum().item<long>();
            fooledHeldout += counted.sum().item<long>();
            l2Heldout += (LpBall.L2Norms(xAdv - x) * counted.to_type(ScalarType.Float32)).sum().item<float>();
            if (samples is null)
            {
                var k = (int)Math.Min(gridSamples, idx.Length);
                samples = new AdvGanSamples(
                    Enumerable.Range(0, k).Select(i => x[i].data<float>().ToArray()).ToList(),
                    Enumerable.Range(0, k).Select(i => xAdv[i].data<float>().ToArray()).ToList(),
                    y.data<long>().Take(k).ToList(), pred.data<long>().Take(k).ToList(), validation.InputShape);
            }
        }
        return (attacked == 0 ? 0 : fooledHeldout / (double)attacked, fooledHeldout == 0 ? 0 : l2Heldout / fooledHeldout, samples);
    }
}
