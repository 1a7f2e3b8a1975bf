namespace Advex.Attacks.Universal;

using Advex.Attacks.Core;
using Advex.Data;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>One pass of a universal perturbation's training: its fooling rate on the training images after it.</summary>
public sealed record UniversalPass(int Pass, double TrainFoolingRate, double Linf, double L2);

/// <summary>A learned universal perturbation v [C, H, W] and its training history.</summary>
public sealed record LearnedPerturbation(float[] Values, long[] Shape, IReadOnlyList<UniversalPass> Passes);

/// <summary>
/// Universal adversarial perturbations: one v with ‖v‖_p ≤ ξ (= ε) such that k̂(clip(x + v)) ≠ k̂(x) for most x
/// (k̂ the model's prediction; the fooling rate is the fraction of images whose prediction v changes).
/// <para><b>DeepFool</b> (Moosavi-Dezfooli, Fawzi, Fawzi &amp; Frossard 2017, "Universal adversarial perturbations",
/// Algorithm 1): for each training image x_i that v does not fool yet,
/// Δv_i ← DeepFool's minimal perturbation sending clip(x_i + v) across the boundary, v ← P_{p,ξ}(v + Δv_i); passes
/// repeat until the training fooling rate reaches 1 − δ (<see cref="UniversalOptions.TargetFoolingRate"/>).</para>
/// <para><b>sgd-UAP</b> (Shafahi, Najibi, Xu, Dickerson, Davis &amp; Goldstein 2020, "Universal adversarial training",
/// Algorithm 2): over minibatches B, v ← P_{p,ξ}(v + α·d), d = sign(g) (L∞) or g/‖g‖₂ (L2),
/// g = ∇_v (1/|B|) Σ_{x∈B} min(CE(f(clip(x + v)), k̂(x)), β); α decays by a factor per pass.</para>
/// The training images are visited in a counter-RNG permutation per pass (seed, pass), so the result depends on the
/// seed only.
/// </summary>
public static class UniversalPerturbation
{
    public static LearnedPerturbation Learn(Classifier model, Dataset train, UniversalOptions options, long seed,
        Action<int, double>? onPass = null)
    {
        model.CheckData(train);
        using var eval = model.EvalMode();
        var clean = Predictions(model, train, null, options.BatchSize);
        var v = zeros(train.InputShape).DetachFromDisposeScope();
        var history = new List<UniversalPass>();
        var stepSize = options.StepSize;
        try
        {
            for (var pass = 0; pass < options.Passes; pass++)
            {
                var order = Permutation(train.Count, seed, pass);
                var next = options.Method == UniversalMethod.DeepFool
                    ? DeepFoolPass(model, train, clean, v, order, options)
                    : SgdPass(model, train, clean, v, order, options, stepSize);
                v.Dispose();
                v = next;
                stepSize *= options.StepDecay;
                var fooled = FoolingRate(model, train, clean, v, options.BatchSize);
                using (no_grad())
                    history.Add(new UniversalPass(pass + 1, fooled, v.abs().max().item<float>(), v.norm().item<float>()));
                onPass?.Invoke(pass + 1, fooled);
                if (options.Method == UniversalMethod.DeepFool && fooled >= options.TargetFoolingRate) break;
            }
            return new LearnedPerturbation(v.data<float>().ToArray(), train.InputShape, history);
        }
        finally
        {
            v.Dispose();
        }
    }

    /// <summary>P_{p,ξ}: v scaled or clipped into the ε-ball.</summary>
    public static Tensor Project(Tensor v, double eps, Norm norm)
    {
        using var scope = NewDisposeScope();
        var batch = v.unsqueeze(0);
        return LpBall.Project(batch, zeros_like(batch), eps, norm)[0].MoveToOuterDisposeScope();
    }

    /// <summary>The fraction of the data whose prediction clip(x + v) changes from the clean one.</summary>
    public static double FoolingRate(Classifier model, Dataset data, long[] clean, Tensor v, int batchSize)
    {
        var adversarial = Predictions(model, data, v, batchSize);
        return adversarial.Where((p, i) => p != clean[i]).Count() / (double)data.Count;
    }

    private static Tensor DeepFoolPass(Classifier model, Dataset train, long[] clean, Tensor v, long[] order,
        UniversalOptions options)
    {
        var deepFool = new DeepFool(options.DeepFoolSteps, options.Overshoot);
        var current = v.clone().DetachFromDisposeScope();
        foreach (var i in order)
        {
            Interruption.ThrowIfRequested(() => "while learning a universal perturbation");
            using var scope = NewDisposeScope();
            var (x, _) = train.Batch([i]);
            var xv = (x + current).clamp(model.Lower, model.Upper);
            if (model.Predict(xv).item<long>() != clean[i]) continue; // already fooled
            var label = tensor(new[] { clean[i] });
            var result = deepFool.Run(model, xv, new Untargeted(label), AttackContext.For(seed: 0, [i]));
            if (!result.Success.item<bool>()) continue;
            var next = Project(current + (result.Adversarial - xv)[0], options.Eps, options.Norm);
            current.Dispose();
            current = next.DetachFromDisposeScope();
        }
        return current;
    }

    private static Tensor SgdPass(Classifier model, Dataset train, long[] clean, Tensor v, long[] order,
        UniversalOptions options, double stepSize)
    {
        var current = v.clone().DetachFromDisposeScope();
        foreach (var batch in order.Chunk(options.BatchSize))
        {
            Interruption.ThrowIfRequested(() => "while learning a universal perturbation");
            using var scope = NewDisposeScope();
            using var grad = enable_grad();
            var (x, _) = train.Batch(batch);
            var labels = tensor(batch.Select(i => clean[i]).ToArray());
            var vr = current.detach().requires_grad_(true);
            var loss = Losses.CrossEntropyPerSample(model.Logits((x + vr).clamp(model.Lower, model.Upper)), labels)
                .clamp_max(options.Beta).mean();
            var g = autograd.grad([loss], [vr])[0];
            var step = LpBall.SteepestDirection(g.unsqueeze(0), options.Norm)[0];
            var next = Project(current + stepSize * step, options.Eps, options.Norm);
            current.Dispose();
            current = next.DetachFromDisposeScope();
        }
        return current;
    }

    private static long[] Predictions(Classifier model, Dataset data, Tensor? v, int batchSize)
    {
        var all = new long[data.Count];
        for (var start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(batchSize, data.Count - start);
            var (x, _) = data.Slice(start, n);
            var input = v is null ? x : (x + v).clamp(model.Lower, model.Upper);
            model.Predict(input).data<long>().ToArray().CopyTo(all, start);
        }
        return all;
    }

    /// <summary>0 … n−1 ordered by a counter-RNG key per (seed, pass, index).</summary>
    private static long[] Permutation(int n, long seed, int pass)
    {
        var key = CounterRng.Key(unchecked((ulong)seed), CounterRng.Hash("universal/order"), (ulong)pass);
        return Enumerable.Range(0, n).Select(i => (long)i).OrderBy(i => CounterRng.BitsAt(key, i)).ToArray();
    }
}
