namespace Advex.Attacks;

/// <summary>
/// What a cascade of attacks did on one batch (host arrays, no tensors): <see cref="BrokenBy"/>[i] is the index of
/// the stage that first met the goal for row i, or −1 when no stage did (or the row met it before any attack, in
/// which case no stage ran on it). <see cref="Seconds"/>[s] is stage s's wall time on the batch;
/// <see cref="Gradients"/>[i][s] and <see cref="Queries"/>[i][s] are the gradient evaluations and forward-only
/// queries stage s spent on row i (as the attacks count them in their <see cref="Core.AttackContext"/>).
/// <see cref="Escalation"/>[i] (guarded versions only, e.g. AutoAttack's fast version) is null when row i was not
/// escalated to the remaining standard stages, else the masking checks that sent it there ("zero_gradients",
/// "probabilities", "non_deterministic", "square_spot_check", joined by '+').
/// </summary>
public sealed record CascadeTrace(string[] Stages, int[] BrokenBy, double[] Seconds, long[][] Gradients, long[][] Queries)
{
    public string?[]? Escalation { get; init; }
}
