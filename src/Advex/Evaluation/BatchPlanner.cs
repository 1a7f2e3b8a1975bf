namespace Advex.Evaluation;

using Advex.Attacks;
using Advex.Models;
using Advex.Native;
using static TorchSharp.torch;

/// <summary>
/// Chooses the batch size of an evaluation from a memory budget, so that a run shrinks its batch or is refused
/// instead of being killed by the OS. The peak memory of a batch of n is modelled as resident + base + n · per-sample;
/// per-sample and base come from probing: the peak resident growth (<c>VmHWM</c>, reset before each probe, the C heap
/// trimmed) of one forward and backward pass of the model at batch 2 and at batch 4, after a warm-up at batch 1. Each
/// run of the evaluation adds the tensors it keeps per sample (adversarial batch, starting point, gradient, iterate,
/// for every run of the batch), Jacobian attacks (DeepFool, FAB) one input gradient per class, and the estimate
/// carries a 25% margin. <c>auto</c> is the fastest batch per sample, timed by <see cref="BatchSpeed"/>, among those
/// that fit (at most <see cref="MaxAuto"/> and the number of samples); a requested batch that does not fit shrinks to
/// the largest that does; when not even one sample fits, the run is refused.
/// </summary>
public static class BatchPlanner
{
    /// <summary>The largest batch <c>auto</c> chooses (larger batches do not run faster on a CPU and make coarser
    /// resume points).</summary>
    public const int MaxAuto = 256;

    /// <summary>The share of the memory the system can still give that the default budget allows.</summary>
    public const double DefaultShare = 0.5;

    /// <summary>Budget when the available memory cannot be read.</summary>
    public const long FallbackBudget = 4L << 30;

    private const double Margin = 1.25;

    /// <summary>The default budget: what this process holds plus <see cref="DefaultShare"/> of what the system (and the
    /// process's cgroup) can still give.</summary>
    public static long DefaultBudget() =>
        ProcessMemory.Available() is { } available
            ? (ProcessMemory.Resident() ?? 0) + (long)(DefaultShare * available)
            : FallbackBudget;

    /// <param name="requested">a batch size, or null for auto</param>
    /// <param name="budget">the peak resident memory allowed in bytes, or null for <see cref="DefaultBudget"/></param>
    /// <param name="samples">how many samples the evaluation holds (auto never exceeds it)</param>
    public static BatchPlan Plan(Classifier model, IReadOnlyList<Attack> attacks, int? requested, long? budget, int samples)
    {
        if (requested is < 1) throw AdvexException.About($"batch-size must be >= 1 or auto (got {requested})", "batch-size");
        if (budget is <= 0) throw AdvexException.About($"max-memory must be positive (got {budget})", "max-memory");
        var limit = budget ?? DefaultBudget();
        var (perProbe, baseBytes, estimate, maxBatch) = Probe(model);
        var inputBytes = 4L * model.InputShape.Aggregate(1L, (a, b) => a * b);
        var kept = 4 * inputBytes * Math.Max(1, attacks.Count);
        var jacobian = attacks.Any(a => a.Name is "deepfool" or "fab") ? inputBytes * model.Classes * 2 : 0;
        var perSample = (long)(Margin * (perProbe + kept + jacobian));
        var resident = ProcessMemory.Resident() ?? 0;
        var room = limit - resident - (long)(Margin * baseBytes);
        var fits = room < perSample ? 0 : (int)Math.Min(int.MaxValue, room / perSample);
        if (fits < 1)
            throw AdvexException.About(
                $"max-memory {MemorySize.Format(limit)} is too small: the process holds {MemorySize.Format(resident)} and one " +
                $"sample of a batch needs about {MemorySize.Format(perSample + (long)(Margin * baseBytes))} more " +
                $"(raise max-memory, or use fewer attacks per run)", "max-memory");
        var cap = Math.Max(1, Math.Min(maxBatch, requested ?? Math.Min(MaxAuto, Math.Max(1, samples))));
        var largest = Math.Min(cap, fits);
        var (batch, timings) = requested is null && largest > 1 ? BatchSpeed.Choose(largest, n => BatchSpeed.Measure(model, n))
            : (largest, (IReadOnlyList<BatchTiming>?)null);
        return new BatchPlan(batch, requested, limit, resident, perSample, (long)(Margin * baseBytes), estimate)
            { MemoryFit = largest, Timings = timings };
    }

    /// <summary>Per-sample and base peak bytes of a forward and backward pass, how they were found, and the largest
    /// batch the model takes (1 for a graph fixed to batch 1).</summary>
    private static (long PerSample, long Base, string Estimate, int MaxBatch) Probe(Classifier model)
    {
        var inputBytes = 4L * model.InputShape.Aggregate(1L, (a, b) => a * b);
        var fallback = (200 * inputBytes, 0L, "fallback", int.MaxValue);
        if (ProcessMemory.Peak() is null || !ProcessMemory.ResetPeak()) return fallback;
        try
        {
            PeakOf(model, 1);
        }
        catch (Exception e) when (e is AdvexException or System.Runtime.InteropServices.ExternalException)
        {
            return fallback; // the evaluation reports the model's failure itself
        }
        long two, four;
        try
        {
            two = PeakOf(model, 2);
            four = PeakOf(model, 4);
        }
        catch (Exception e) when (e is AdvexException or System.Runtime.InteropServices.ExternalException)
        {
            var one = PeakOf(model, 1);
            return (Math.Max(one, 1), 0, "probe", 1); // a graph fixed to batch 1
        }
        var per = Math.Max((four - two) / 2, four / 8);
        return (Math.Max(per, 1), Math.Max(0, two - 2 * per), "probe", int.MaxValue);
    }

    /// <summary>What both probes run: one forward pass and input gradient at batch <paramref name="n"/> (the forward
    /// pass alone for a model without gradients), on mid-range inputs, in eval mode.</summary>
    internal static void Step(Classifier model, int n)
    {
        using var scope = NewDisposeScope();
        using var mode = model.EvalMode();
        var x = full([n, .. model.InputShape], (model.Lower + model.Upper) / 2, ScalarType.Float32);
        if (model.HasGradients)
        {
            using var _ = enable_grad();
            var xr = x.requires_grad_(true);
            autograd.grad([model.Logits(xr).logsumexp(1).sum()], [xr])[0].sum().item<float>();
        }
        else
        {
            using var _ = no_grad();
            model.Logits(x).sum().item<float>();
        }
    }

    /// <summary>The peak resident growth of one forward pass and input gradient at batch <paramref name="n"/>.</summary>
    private static long PeakOf(Classifier model, int n)
    {
        ProcessMemory.Trim();
        ProcessMemory.ResetPeak();
        var before = ProcessMemory.Resident() ?? 0;
        Step(model, n);
        var peak = ProcessMemory.Peak() ?? before;
        ProcessMemory.Trim();
        return Math.Max(0, peak - before);
    }
}
