namespace Advex.Defenses;

using System.Text.Json.Serialization;

/// <summary>
/// Early stopping on robust accuracy (Rice, Wong, Kolter 2020; Wong et al. 2020's guard against catastrophic
/// overfitting): remember the epoch with the best held-out PGD accuracy; declare a collapse, and stop, when an epoch
/// falls more than <see cref="CollapseDrop"/> below that best. The final model is the best epoch's.
/// </summary>
public sealed class EarlyStopping(double collapseDrop)
{
    public double CollapseDrop { get; } = collapseDrop;

    /// <summary>Best held-out PGD accuracy so far (−1 before the first epoch).</summary>
    public double Best { get; private set; } = -1;

    public int BestEpoch { get; private set; }

    /// <summary>The epoch at which robust accuracy collapsed (0 while it has not).</summary>
    public int StoppedEpoch { get; private set; }

    public bool Stopped => StoppedEpoch > 0;

    /// <summary>Records one epoch's robust accuracy; returns true when it is a new best (keep its weights).</summary>
    public bool Observe(int epoch, double robustAccuracy)
    {
        if (robustAccuracy > Best)
        {
            (Best, BestEpoch) = (robustAccuracy, epoch);
            return true;
        }
        if (robustAccuracy < Best - CollapseDrop && !Stopped) StoppedEpoch = epoch;
        return false;
    }

    public Snapshot State => new(Best, BestEpoch, StoppedEpoch);

    public void Restore(Snapshot s) => (Best, BestEpoch, StoppedEpoch) = (s.Best, s.BestEpoch, s.StoppedEpoch);

    /// <summary>The rule's state as saved in checkpoints and reported in training.json.</summary>
    public sealed record Snapshot(
        [property: JsonPropertyName("best_heldout_pgd_accuracy")] double Best,
        [property: JsonPropertyName("best_epoch")] int BestEpoch,
        [property: JsonPropertyName("stopped_epoch")] int StoppedEpoch);
}
