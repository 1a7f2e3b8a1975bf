namespace Advex.Evaluation;

using System.Diagnostics;
using Advex.Models;

/// <summary>One measured batch size: the time of one forward pass and input gradient, per sample.</summary>
/// <param name="Batch">the batch size probed</param>
/// <param name="SecondsPerSample">the faster of two timed steps, divided by the batch size</param>
public sealed record BatchTiming(int Batch, double SecondsPerSample);

/// <summary>
/// The speed half of <c>--batch-size auto</c>: on a CPU a larger batch is not always faster per sample. A 224-px
/// MobileNetV2 (one thread, this project's machine) took 0.057 s per sample and gradient step at batch 8 and 0.21–0.30 s
/// at batches 32–64, once a batch's activations no longer stay in the caches; the largest batch that fits 24 GB
/// (about 100) would have run 4–5× slower. So auto times one step at batches 2, 4, 8, … up to the largest that fits
/// the memory budget, stops once a batch is clearly slower per sample than the best so far, and takes the largest
/// batch within <see cref="Tie"/> of the fastest (fewer, larger batches when the speed is the same); a step over
/// <see cref="MaxProbeSeconds"/> also ends the search, so timing never costs more than a few steps. The records never
/// depend on the batch size, so timing noise can change the speed of a run, never its figures.
/// </summary>
public static class BatchSpeed
{
    /// <summary>A batch within this factor of the fastest per-sample time counts as equally fast.</summary>
    public const double Tie = 1.05;

    /// <summary>A batch this much slower per sample than the best so far ends the search (larger ones only get worse).</summary>
    public const double Worse = 1.25;

    /// <summary>A step slower than this ends the search too: larger batches would cost more to time than they could save.</summary>
    public const double MaxProbeSeconds = 20;

    /// <summary>The batch sizes probed in order: powers of two from 2, then <paramref name="largest"/> itself.</summary>
    public static IReadOnlyList<int> Candidates(int largest)
    {
        var list = new List<int>();
        for (var b = 2; b < largest; b *= 2) list.Add(b);
        list.Add(Math.Max(1, largest));
        return list;
    }

    /// <summary>Times the candidates up to <paramref name="largest"/> with <paramref name="secondsPerStep"/> (the
    /// search stops at the first clearly slower one) and returns the chosen batch with the timings.</summary>
    public static (int Batch, IReadOnlyList<BatchTiming> Timings) Choose(int largest, Func<int, double> secondsPerStep)
    {
        var timings = new List<BatchTiming>();
        foreach (var batch in Candidates(largest))
        {
            var seconds = secondsPerStep(batch);
            timings.Add(new BatchTiming(batch, seconds / batch));
            if (timings[^1].SecondsPerSample > Worse * timings.Min(t => t.SecondsPerSample) || seconds > MaxProbeSeconds) break;
        }
        return (Pick(timings), timings);
    }

    /// <summary>The largest probed batch whose time per sample is within <see cref="Tie"/> of the fastest.</summary>
    public static int Pick(IReadOnlyList<BatchTiming> timings)
    {
        var best = timings.Min(t => t.SecondsPerSample);
        return timings.Where(t => t.SecondsPerSample <= Tie * best).Max(t => t.Batch);
    }

    /// <summary>The faster of two timed steps (<see cref="BatchPlanner.Step"/>) at batch <paramref name="n"/>: the first step at a new shape pays one-time set-up costs. A
    /// first step over a second is not repeated (the set-up is small beside it).</summary>
    public static double Measure(Classifier model, int n)
    {
        var best = double.PositiveInfinity;
        for (var i = 0; i < 2; i++)
        {
            var clock = Stopwatch.StartNew();
            BatchPlanner.Step(model, n);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            if (best > 1) break;
        }
        return best;
    }
}
