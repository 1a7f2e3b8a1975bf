namespace Advex.Evaluation;

using System.Globalization;
using Advex.Attacks;
using Advex.Attacks.Core;

/// <summary>
/// How far a batch's runs are, from the work the attacks count (<see cref="AttackStep"/>), so that a progress bar
/// moves inside a batch. Each run's share of the batch is its work budget per row (<see cref="Budget"/>: steps ×
/// restarts × targets, or queries, as its parameters say); inside a run the parts it enters (a cascade's stages, a
/// sweep's targets) divide its share evenly, and the current part advances with the work spent on its rows up to its
/// budget. The fraction never decreases while a run goes on and stays below 1 until the batch is done.
/// </summary>
public sealed class RunProgress(IReadOnlyList<Attack> runs)
{
    private readonly double[] budgets = runs.Select(Budget).ToArray();

    /// <summary>The fraction of the batch done when run <paramref name="run"/>, started when the batch's work stood at
    /// <paramref name="start"/>, reports <paramref name="step"/> on <paramref name="rows"/> rows, and a label naming
    /// the run and its current parts.</summary>
    public (double Fraction, string Label) At(int run, int rows, long start, AttackStep step)
    {
        var attack = runs[run];
        double inner;
        if (step.Parts.Count == 0) inner = Math.Min(1, (step.Work - start) / Math.Max(1.0, rows * budgets[run]));
        else
        {
            var (lo, width) = (0.0, 1.0);
            var leaf = attack;
            foreach (var p in step.Parts)
            {
                width /= Math.Max(1, p.Count);
                lo += p.Index * width;
                leaf = Part(leaf, p.Index);
            }
            var last = step.Parts[^1];
            lo += width * Math.Min(1, (step.Work - last.WorkAtStart) / Math.Max(1.0, last.Rows * Budget(leaf)));
            inner = Math.Min(1, lo);
        }
        var before = budgets.Take(run).Sum();
        var fraction = (before + budgets[run] * inner) / Math.Max(1e-9, budgets.Sum());
        var label = Label(attack) + string.Concat(step.Parts.Select(p => $" {p.Name} {p.Index + 1}/{p.Count}"));
        return (Math.Min(0.999, fraction), label);
    }

    /// <summary>A short name of a run for a progress bar, e.g. <c>pgd ε=0.3</c>.</summary>
    public static string Label(Attack a) =>
        a.IsBounded ? $"{a.Name} ε={a.Eps.ToString("0.####", CultureInfo.InvariantCulture)}" : a.Name;

    /// <summary>Gradient evaluations plus queries per row an attack may spend at most (an estimate from its
    /// parameters; 1 for a single-step attack).</summary>
    public static double Budget(Attack a) => a switch
    {
        AutoAttack auto => auto.Stages.Sum(Budget),
        TargetSweep sweep => sweep.TargetClasses * Budget(sweep.Inner),
        _ => Math.Max(1, Get(a, "steps", 1) * Get(a, "restarts", 1) * Get(a, "binary_search_steps", 1)
                         + Get(a, "queries", 0)),
    };

    private static Attack Part(Attack a, int index) => a switch
    {
        AutoAttack auto when index < auto.Stages.Count => auto.Stages[index],
        TargetSweep sweep => sweep.Inner,
        _ => a,
    };

    private static double Get(Attack a, string key, double fallback) =>
        a.Params.TryGetValue(key, out var v) && v is int or long or double ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : fallback;
}
