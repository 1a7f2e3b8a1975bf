namespace Advex.Attacks;

/// <summary>
/// What a cascade of attacks did on one batch (host arrays, no tensors): <see cref="BrokenBy"/>[i] is the index of
/// the stage that first met the goal for row i, or −1 when no stage did (or the row met it before any attack, in
/// which case no stage ran on it). <see cref="Seconds"/>[s] is stage s's wall time on the batch;
/// <see cref="Gradients"/>[i][s] and <see cref="Queries"/>[i][s] are the gradient evaluations and forward-only
/// queries stage s spent on row i (as the attacks count them in their <see cref="Core.AttackContext"/>).
/// </summary>
public sealed record CascadeTrace(string[] Stages, int[] BrokenBy, double[] Seconds, long[][] Gradients, long[][] Queries);
