namespace Advex.Evaluation;

using Advex.Attacks;

/// <summary>Collects the <see cref="CascadeTrace"/> of every batch of one run into per-stage figures.</summary>
internal sealed class StageTally(int count)
{
    private readonly int[] brokenBy = Enumerable.Repeat(-1, count).ToArray();
    private string[]? names;
    private double[] seconds = [];
    private long[] gradients = [], forwards = [];

    public void Add(int offset, CascadeTrace trace)
    {
        if (names is null)
        {
            names = trace.Stages;
            (seconds, gradients, forwards) = (new double[names.Length], new long[names.Length], new long[names.Length]);
        }
        Array.Copy(trace.BrokenBy, 0, brokenBy, offset, trace.BrokenBy.Length);
        for (var s = 0; s < names.Length; s++)
        {
            seconds[s] += trace.Seconds[s];
            gradients[s] += trace.GradientEvaluations[s];
            forwards[s] += trace.ForwardPasses[s];
        }
    }

    /// <summary>Robust after stage s: correct before the attack and not broken by stages 0…s. Null when no batch
    /// carried a trace.</summary>
    public List<StageResult>? Results(bool[] cleanCorrect)
    {
        if (names is null) return null;
        var n = (double)count;
        return names.Select((name, s) => new StageResult(name,
            Enumerable.Range(0, count).Count(i => cleanCorrect[i] && (brokenBy[i] < 0 || brokenBy[i] > s)) / n,
            seconds[s], gradients[s] / n, forwards[s] / n)).ToList();
    }
}
