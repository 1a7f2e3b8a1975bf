namespace Advex.Attacks.Patch;

using Advex.Attacks.Core;
using Advex.Data;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>One epoch of patch training: the mean loss and the training images the patch sent to the target.</summary>
public sealed record PatchEpoch(int Epoch, double Loss, double TrainSuccessRate);

/// <summary>A trained patch [C, k, k] in [0, 1] and its training history.</summary>
public sealed record TrainedPatch(float[] Values, long[] Shape, IReadOnlyList<PatchEpoch> Epochs);

/// <summary>
/// The adversarial patch of Brown, Mané, Roy, Abadi &amp; Gilmer (2017), targeted, trained with expectation over
/// transformation: p̂ = argmax_p E_{x∼X, t∼T, l∼L} [log Pr(ŷ | A(p, x, l, t))], with T scale and rotation and L the
/// location (<see cref="PatchTransform"/>), by Adam on p's pixels (clipped to [0, 1] after each step) over minibatches
/// of training images, each under a fresh draw per epoch. The patch starts uniform at random. Its success rate on
/// held-out images is the fraction of those not already of the target class that A(p̂, x, ·) sends to the target
/// (one draw per image, keyed by its index).
/// </summary>
public static class AdversarialPatch
{
    public static TrainedPatch Train(Classifier model, Dataset train, PatchOptions o, long seed, Action<int, double>? onEpoch = null)
    {
        model.CheckData(train);
        if (o.Target >= model.Classes) throw AdvexException.About($"target {o.Target} is not a class of the model (0 … {model.Classes - 1})", "target");
        using var eval = model.EvalMode();
        var k = Math.Max(1, (long)Math.Round(o.Size * Math.Min(train.Height, train.Width)));
        var shape = new[] { (long)train.Channels, k, k };
        using var init = AttackContext.For(seed, [0]).Stream("patch/init");
        var patch = new TorchSharp.Modules.Parameter(init.Uniform([1, shape.Aggregate(1L, (a, b) => a * b)]).reshape(shape).detach());
        patch.DetachFromDisposeScope();
        using var optimizer = optim.Adam([patch], lr: o.Lr);
        var history = new List<PatchEpoch>();
        try
        {
            for (var epoch = 1; epoch <= o.Epochs; epoch++)
            {
                double lossSum = 0;
                long hits = 0;
                var order = Enumerable.Range(0, train.Count).Select(i => (long)i).ToArray();
                foreach (var batch in order.Chunk(o.BatchSize))
                {
                    Interruption.ThrowIfRequested(() => $"while training an adversarial patch (epoch {epoch})");
                    using var scope = NewDisposeScope();
                    var (x, _) = train.Batch(batch);
                    using var rng = AttackContext.For(seed, batch).Stream($"patch/train/{epoch}");
                    optimizer.zero_grad();
                    var logits = model.Logits(PatchTransform.Apply(patch, x, o, rng));
                    var target = full([batch.Length], o.Target, ScalarType.Int64);
                    var loss = nn.functional.cross_entropy(logits, target); // = −mean log Pr(target | A(p, x, l, t))
                    loss.backward();
                    optimizer.step();
                    using (no_grad())
                    {
                        patch.clamp_(0, 1);
                        hits += logits.argmax(1).eq(target).sum().item<long>();
                    }
                    lossSum += loss.item<float>() * batch.Length;
                }
                history.Add(new PatchEpoch(epoch, lossSum / train.Count, hits / (double)train.Count));
                onEpoch?.Invoke(epoch, hits / (double)train.Count);
            }
            return new TrainedPatch(patch.detach().data<float>().ToArray(), shape, history);
        }
        finally
        {
            patch.Dispose();
        }
    }

    /// <summary>Per held-out image: its prediction with the patch applied (one draw keyed by its index).</summary>
    public static long[] PatchedPredictions(Classifier model, Dataset data, float[] patch, long[] shape, PatchOptions o, long seed,
        int batchSize = 256)
    {
        var predictions = new long[data.Count];
        using var eval = model.EvalMode();
        using var p = tensor(patch, shape);
        for (var start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(batchSize, data.Count - start);
            var (x, _) = data.Slice(start, n);
            using var rng = AttackContext.For(seed, Enumerable.Range(start, n).Select(i => (long)i).ToArray()).Stream("patch/test");
            model.Predict(PatchTransform.Apply(p, x, o, rng)).data<long>().ToArray().CopyTo(predictions, start);
        }
        return predictions;
    }

    /// <summary>Patched images of the given rows (for figures).</summary>
    public static Tensor Patched(Dataset data, long[] rows, float[] patch, long[] shape, PatchOptions o, long seed)
    {
        using var scope = NewDisposeScope();
        var (x, _) = data.Batch(rows);
        using var rng = AttackContext.For(seed, rows).Stream("patch/test");
        return PatchTransform.Apply(tensor(patch, shape), x, o, rng).MoveToOuterDisposeScope();
    }
}
