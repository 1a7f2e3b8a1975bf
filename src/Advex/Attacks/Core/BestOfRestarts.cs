namespace Advex.Attacks.Core;

using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// Runs a randomized attack several times and keeps, per sample, the first successful result, or else the result
/// with the highest goal loss (AutoAttack's and Madry's restart rule).
/// </summary>
public static class BestOfRestarts
{
    public static Tensor Run(Classifier model, Tensor x, AttackGoal goal, int restarts, Func<Tensor> attempt)
    {
        var best = x.clone();
        var found = zeros(x.shape[0], ScalarType.Bool);
        var bestLoss = full(x.shape[0], double.NegativeInfinity);
        for (var r = 0; r < restarts; r++)
        {
            using var scope = NewDisposeScope();
            var adv = attempt();
            Tensor success, loss;
            using (no_grad())
            {
                var logits = model.Logits(adv);
                success = goal.Succeeded(logits.argmax(1));
                var ce = Losses.CrossEntropyPerSample(logits, goal.Classes);
                loss = goal.IsTargeted ? ce.neg() : ce;
            }
            var take = (success & found.logical_not()) | (found.logical_not() & success.logical_not() & loss.gt(bestLoss));
            var nextBest = where(LpBall.Broadcast(take, x), adv, best);
            var nextFound = found | success;
            var nextLoss = where(take, loss, bestLoss);
            best.Dispose();
            found.Dispose();
            bestLoss.Dispose();
            best = nextBest.MoveToOuterDisposeScope();
            found = nextFound.MoveToOuterDisposeScope();
            bestLoss = nextLoss.MoveToOuterDisposeScope();
            if (found.all().item<bool>()) break;
        }
        found.Dispose();
        bestLoss.Dispose();
        return best;
    }
}
