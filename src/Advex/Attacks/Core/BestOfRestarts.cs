namespace Advex.Attacks.Core;

using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// Runs a randomized attack several times and keeps, per sample, the first successful result, or else the result
/// with the highest goal loss (AutoAttack's and Madry's restart rule).
/// </summary>
public static class BestOfRestarts
{
    /// <summary>
    /// Restart r runs on the rows not yet successful only (the attempt gets their inputs, goal, row indices into x
    /// and context), drawing from <see cref="AttackContext.Restart"/>(r), so a
    /// row's result and work depend on its own key alone (never on whether other rows were already done).
    /// </summary>
    public static Tensor Run(Classifier model, Tensor x, AttackGoal goal, int restarts, AttackContext context,
        Func<Classifier, Tensor, AttackGoal, Tensor, AttackContext, Tensor> attempt)
    {
        var best = x.clone();
        var found = zeros(x.shape[0], ScalarType.Bool);
        var bestLoss = full(x.shape[0], double.NegativeInfinity);
        for (var r = 0; r < restarts; r++)
        {
            using var scope = NewDisposeScope();
            var rows = found.logical_not().nonzero().squeeze(1);
            if (rows.numel() == 0) break;
            var xs = x.index_select(0, rows);
            var goalS = goal.Select(rows);
            var adv = attempt(model, xs, goalS, rows, context.Restart(r).Select(rows));
            Tensor success, loss;
            using (no_grad())
            {
                var logits = model.Logits(adv);
                success = goalS.Succeeded(logits.argmax(1));
                var ce = Losses.CrossEntropyPerSample(logits, goalS.Classes);
                loss = goalS.IsTargeted ? ce.neg() : ce;
            }
            var take = success | loss.gt(bestLoss.index_select(0, rows));
            var taken = rows.masked_select(take);
            var takenAdv = adv.index_select(0, take.nonzero().squeeze(1));
            Iterates.Replace(ref best, best.index_copy(0, taken, takenAdv));
            Iterates.Replace(ref bestLoss, bestLoss.index_copy(0, taken, loss.masked_select(take)));
            Iterates.Replace(ref found, found.index_fill(0, rows.masked_select(success), true));
        }
        found.Dispose();
        bestLoss.Dispose();
        return best;
    }
}
