namespace Advex.Training;

/// <summary>
/// Halves (×factor) the learning rate when a monitored loss has not improved for <c>patience</c> epochs, as
/// PyTorch's ReduceLROnPlateau('min', threshold 1e-4 relative). Its state is plain data so that resume is exact.
/// </summary>
public sealed class ReduceLrOnPlateau(double factor, int patience, double minLr)
{
    public double Best { get; set; } = double.PositiveInfinity;
    public int BadEpochs { get; set; }

    /// <summary>Returns the learning rate to use next.</summary>
    public double Step(double loss, double lr)
    {
        if (loss < Best * (1 - 1e-4))
        {
            Best = loss;
            BadEpochs = 0;
            return lr;
        }
        if (++BadEpochs <= patience) return lr;
        BadEpochs = 0;
        return Math.Max(lr * factor, minLr);
    }
}
