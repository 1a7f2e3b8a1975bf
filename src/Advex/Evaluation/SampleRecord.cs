namespace Advex.Evaluation;

/// <summary>
/// The unit of an evaluation (DESIGN §9): one sample under one run (an attack at one ε), one line of
/// <c>samples.jsonl</c>. Every figure of <c>eval.json</c> is computed from these records.
/// </summary>
/// <param name="Index">the sample's index in the evaluated split (after <c>--limit</c>)</param>
/// <param name="Run">the run's position in the evaluation's run list</param>
/// <param name="Attack">the run's key, e.g. <c>pgd@0.3</c></param>
/// <param name="Label">the true label</param>
/// <param name="Clean">the model's prediction on the clean sample</param>
/// <param name="Adversarial">the prediction on what the attack returned (the clean prediction when not attacked)</param>
/// <param name="Success">the attack met its goal on the returned input</param>
/// <param name="Robust">correct after this run (in a cascade: after this and every earlier stage)</param>
/// <param name="Attacked">the sample was attacked (independent runs: correct before; cascade: still robust)</param>
/// <param name="L2">‖x' − x‖₂</param>
/// <param name="Linf">‖x' − x‖∞</param>
/// <param name="Gradients">gradient evaluations spent on the sample</param>
/// <param name="Queries">forward-only model queries spent on the sample</param>
/// <param name="Min">smallest value of x'</param>
/// <param name="Max">largest value of x'</param>
/// <param name="NonFinite">NaN or infinite values in x'</param>
/// <param name="Seconds">the sample's share of its batch's attack time (a timing field)</param>
/// <param name="BrokenByStage">cascade attacks (AutoAttack): the stage (0-based) that first broke the sample, −1 when
/// none did; null for other attacks</param>
/// <param name="StageGradients">cascade attacks: gradient evaluations each stage spent on the sample</param>
/// <param name="StageQueries">cascade attacks: forward-only queries each stage spent on the sample</param>
/// <param name="StageSeconds">cascade attacks: the sample's share of each stage's batch wall time</param>
/// <param name="Norm">runs in L1 or L0 (FMN, EAD, FAB-L1): ‖x' − x‖ in the run's norm (L2 and L∞ are always
/// recorded); null otherwise</param>
/// <param name="ZeroGradient">the clean input gradient is all zero (sanity check); null on a forward-only backend</param>
/// <param name="ProbabilityLike">the model's output row lies in [0,1] and sums to 1 (sanity check)</param>
/// <param name="Deterministic">two forward passes give identical logits (sanity check)</param>
/// <param name="RobustMoreSteps">robust under the same attack with twice the steps (sanity check; first samples of
/// the largest ε of each iterative attack only)</param>
/// <param name="Reproducible">repeating the randomized attack on a few rows alone gives the same result (sanity
/// check; first samples of randomized attacks only)</param>
public sealed record SampleRecord(
    long Index,
    int Run,
    string Attack,
    long Label,
    long Clean,
    long Adversarial,
    bool Success,
    bool Robust,
    bool Attacked,
    float L2,
    float Linf,
    long Gradients,
    long Queries,
    float Min,
    float Max,
    int NonFinite,
    double Seconds,
    bool? ZeroGradient,
    bool ProbabilityLike,
    bool Deterministic,
    bool? RobustMoreSteps = null,
    bool? Reproducible = null,
    int? BrokenByStage = null,
    long[]? StageGradients = null,
    long[]? StageQueries = null,
    double[]? StageSeconds = null,
    float? Norm = null)
{
    /// <summary>The record with its timing field zeroed, for comparisons between runs.</summary>
    public SampleRecord WithoutTiming() => this with { Seconds = 0, StageSeconds = null };

    /// <summary>‖x' − x‖ in the given norm name (<c>linf</c>, <c>l2</c>, or the run's own <c>l1</c>/<c>l0</c>).</summary>
    public float NormIn(string norm) => norm switch { "linf" => Linf, "l2" => L2, _ => Norm ?? 0 };
}
